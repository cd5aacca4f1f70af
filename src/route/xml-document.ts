// A plain-XML document as a mapping sees it and the reply document it gets back; shared by the XML route, the
// golden-case runner and `sensepass-gateway try`, so all three convert exactly alike.
import { elementToJson } from '../dialect/xml-to-json.js';
import { encodeXmlDocument } from '../egress/xml-encode.js';
import { parseXml } from '../ingress/xml-parse.js';
import type { XmlElement, XmlLimits } from '../ingress/xml-tree.js';

/** The configuration defaults of `limits` (for offline runs without a config). */
export const DEFAULT_XML_LIMITS: XmlLimits = Object.freeze({ maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536 });

export interface XmlDocument {
  /** Local name of the root element (namespaces are not part of routing). */
  readonly root: string;
  /** The root's content: element name = key, repeated elements = arrays, every leaf a string; attributes ignored. */
  readonly body: Record<string, unknown>;
}

export function documentOf(element: XmlElement): XmlDocument {
  return { root: element.local, body: elementToJson(element, undefined) };
}

export function decodeXmlDocument(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlDocument {
  return documentOf(parseXml(text, limits));
}

/** The reply document's root element for a request root (`PaymentRequest` → `PaymentRequestResponse`). */
export function replyRootFor(requestRoot: string): string {
  return `${requestRoot}Response`;
}

export function encodeXmlReply(requestRoot: string, value: unknown): string {
  return encodeXmlDocument(replyRootFor(requestRoot), value);
}
