// $parseXml and $xml: XML documents carried inside a string element (Mercury-style `tran`, TurkPos `Ext_Data`,
// DataSets). Reading goes through the hardened ingress parser (no DOCTYPE, the ingress depth/element/text limits,
// namespaces resolved, undeclared prefixes refused); writing goes through the egress encoder (escaped, well-formed).
import { xmlElement } from '../../egress/xml-encode.js';
import { escapeAttr } from '../../egress/xml-escape.js';
import { gwError, isGatewayError } from '../../errors.js';
import { parseXml } from '../../ingress/xml-parse.js';
import type { XmlElement, XmlLimits } from '../../ingress/xml-tree.js';

/** The `limits` defaults of the configuration: an XML document inside a message gets no more room than the message. */
export const XML_TEXT_LIMITS: XmlLimits = Object.freeze({ maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536 });

const NC_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const REASONS: Readonly<Record<string, string>> = {
  GW_INGRESS_DOCTYPE_FORBIDDEN: 'a DOCTYPE is not allowed',
  GW_INGRESS_DEPTH_EXCEEDED: 'it is nested too deeply',
  GW_INGRESS_TOO_MANY_ELEMENTS: 'it has too many elements',
  GW_INGRESS_TOO_MANY_ATTRIBUTES: 'an element has too many attributes',
  GW_INGRESS_TEXT_TOO_LONG: 'a text value is too long',
  GW_INGRESS_FORBIDDEN_NAME: 'it uses a forbidden name',
};

/**
 * `$parseXml(text)` → `{ <rootLocalName>: content }`. Content: an element with only text is its text; otherwise an
 * object of child elements by local name (a name seen twice becomes an array), attributes as `@name`, mixed text as
 * `#text`. Missing text → nothing (an optional field stays optional).
 */
export function parseXmlText(text: unknown): unknown {
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string') throw gwError('GW_MAP_XML_INVALID', { reason: 'the value is not text' });
  if (text.trim() === '') return undefined;
  let root: XmlElement;
  try {
    root = parseXml(text, XML_TEXT_LIMITS);
  } catch (err) {
    // Parser text never reaches the POS; the catalogue code says which rule was broken.
    const code = isGatewayError(err) ? err.code : '';
    throw gwError('GW_MAP_XML_INVALID', { reason: REASONS[code] ?? 'it is not well-formed XML' }, err);
  }
  return { [root.local]: contentOf(root) };
}

function contentOf(el: XmlElement): unknown {
  const attrs = Object.entries(el.attrs);
  if (el.children.length === 0 && attrs.length === 0) return el.text;
  const out: Record<string, unknown> = {};
  for (const [name, value] of attrs) out[`@${name}`] = value;
  for (const child of el.children) {
    const value = contentOf(child);
    const seen = out[child.local];
    if (seen === undefined) out[child.local] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[child.local] = [seen, value];
  }
  if (el.text.trim() !== '') out['#text'] = el.text;
  return out;
}

/**
 * `$xml(value, rootName, namespace?)` → `<rootName xmlns="namespace">…</rootName>` as text, for a string element
 * that carries an XML document: keys become elements in order, arrays repeat, text is escaped.
 */
export function buildXmlText(value: unknown, rootName: unknown, namespace?: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof rootName !== 'string' || !NC_NAME.test(rootName)) {
    throw gwError('GW_MAP_XML_BUILD_FAILED', { detail: 'the root name must be an XML name such as "TStream"' });
  }
  if (namespace !== undefined && typeof namespace !== 'string') {
    throw gwError('GW_MAP_XML_BUILD_FAILED', { detail: 'the namespace must be text' });
  }
  if (typeof value === 'function') throw gwError('GW_MAP_XML_BUILD_FAILED', { detail: 'a function cannot be written as XML' });
  const body = xmlElement(rootName, value);
  if (namespace === undefined || namespace === '') return body;
  // xmlElement writes `<rootName>` or `<rootName/>` first; the declaration goes right after the name.
  return `<${rootName} xmlns="${escapeAttr(namespace)}"${body.slice(rootName.length + 1)}`;
}
