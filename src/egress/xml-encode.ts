// JSON value → XML by the SensePass adapter convention: key = element, array = repeated element, object = nested
// elements, numbers and booleans as text. Used for plain-XML mapping replies and the SensePass dialect replies.
import { escapeText } from './xml-escape.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** A complete document `<root>…</root>` with the XML declaration (replies are always UTF-8). */
export function encodeXmlDocument(root: string, value: unknown): string {
  return XML_DECLARATION + xmlElement(root, value);
}

/**
 * One element for `value`: undefined → nothing; null → an empty element (the key stays visible, as SensePass's
 * JSON has it); an array → the element repeated per item (an empty array → nothing); an object → nested elements
 * in key order; anything else → its text.
 */
export function xmlElement(name: string, value: unknown, depth = 0): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return '';
  const tag = xmlName(name);
  if (value === null) return `<${tag}/>`;
  if (depth > 64) return `<${tag}/>`; // upstream JSON this deep is not data a POS reads; never recurse without bound
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item, depth + 1)).join('');
  if (typeof value === 'object') {
    let inner = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) inner += xmlElement(k, v, depth + 1);
    return inner === '' ? `<${tag}/>` : `<${tag}>${inner}</${tag}>`;
  }
  const text = escapeText(String(value));
  return text === '' ? `<${tag}/>` : `<${tag}>${text}</${tag}>`;
}

// XML 1.0 names, ASCII subset: a key like "Credit Card" (seen inside SensePass confirmations) becomes Credit_Card.
const NAME_START = /^[A-Za-z_]/;
const NOT_NAME_CHAR = /[^A-Za-z0-9_.-]/g;

/** A JSON key as an element name: invalid characters become `_`, a name that cannot start an element gets `_`. */
export function xmlName(key: string): string {
  const cleaned = key.replace(NOT_NAME_CHAR, '_');
  return cleaned === '' ? '_' : NAME_START.test(cleaned) ? cleaned : `_${cleaned}`;
}
