// parseXml: text → XmlElement, hardened. Why a wrapper around fast-xml-parser: it does not enforce depth,
// element, attribute or text limits itself, and it returns objects keyed by element names (so it mangles names
// like "toString"); our iterative pre-scan enforces every limit and well-formedness first, and the builder
// resolves namespaces and copies into null-prototype records so nothing read later can reach Object.prototype.
import { XMLParser } from 'fast-xml-parser';
import { gwError } from '../errors.js';
import { assertNoDtd } from './body-decode.js';
import { buildTree } from './xml-build.js';
import { scanXml } from './xml-scan.js';
import type { XmlElement, XmlLimits } from './xml-tree.js';

const parsers = new WeakMap<XmlLimits, XMLParser>();

export function parseXml(text: string, limits: XmlLimits): XmlElement {
  // XML 1.0 §2.11: line ends normalise to \n before anything else looks at the text.
  const src = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  assertNoDtd(src);
  const scan = scanXml(src, limits);
  let ordered: unknown;
  try {
    ordered = parserFor(limits).parse(src);
  } catch (err) {
    // Only reachable if fast-xml-parser disagrees with the pre-scan; its text stays in `cause` (debug logs only).
    throw gwError('GW_INGRESS_MALFORMED_XML', {}, err);
  }
  return buildTree(ordered, scan.names);
}

/** One configured parser per limits object (compiled once, reused per request). */
function parserFor(limits: XmlLimits): XMLParser {
  let parser = parsers.get(limits);
  if (parser === undefined) {
    parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      allowBooleanAttributes: false,
      parseTagValue: false, // values stay strings until the schema types them
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false, // never expand entities; the builder decodes the five predefined ones and char refs
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      cdataPropName: '#cdata', // kept apart so CDATA text is never reference-decoded
      maxNestedTags: limits.maxDepth + 1,
    });
    parsers.set(limits, parser);
  }
  return parser;
}
