// XML element → JSON value by the SensePass adapter convention (element name = key, repeated element = array item,
// nested element = object, no attributes), typed by a field table. Without a table every leaf stays a string and
// only repeats make arrays: that is how plain-XML mapping routes see their documents.
import { gwError } from '../errors.js';
import type { XmlElement } from '../ingress/xml-tree.js';
import { UNLISTED, type FieldType, type Fields } from './field-types.js';

// Integers and plain decimals only: no exponents, signs other than '-', spaces, thousands separators or hex.
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** The element's children as an object; `fields` types the known ones (undefined = everything generic). */
export function elementToJson(element: XmlElement, fields: Fields | undefined, path = ''): Record<string, unknown> {
  const groups = new Map<string, XmlElement[]>();
  for (const child of element.children) {
    const list = groups.get(child.local);
    if (list === undefined) groups.set(child.local, [child]);
    else list.push(child);
  }
  const out: Record<string, unknown> = {};
  for (const [name, elements] of groups) {
    const type = fields !== undefined && Object.hasOwn(fields, name) ? (fields[name] as FieldType) : UNLISTED;
    const value = convertGroup(elements, type, join(path, name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function convertGroup(elements: readonly XmlElement[], type: FieldType, path: string): unknown {
  if (type.kind === 'array') return elements.map((e) => convertOne(e, type.of, path)).filter((v) => v !== undefined);
  if (elements.length > 1) {
    if (type.kind === 'any') return elements.map((e) => convertOne(e, type, path));
    throw gwError('GW_DIALECT_BAD_VALUE', { field: path, expected: 'a single element' });
  }
  return convertOne(elements[0] as XmlElement, type, path);
}

function convertOne(element: XmlElement, type: FieldType, path: string): unknown {
  switch (type.kind) {
    case 'string':
      return element.children.length > 0 ? badValue(path, 'text') : element.text;
    case 'number':
      return scalar(element, path, 'a number (digits, optional "." decimals)', (t) => (NUMBER_TEXT.test(t) ? safeNumber(t) : undefined));
    case 'boolean':
      return scalar(element, path, 'true or false', (t) => (t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : undefined));
    case 'object':
      if (element.children.length === 0 && element.text.trim() !== '') return badValue(path, 'an element with child elements');
      return elementToJson(element, type.fields, path);
    case 'array':
      return [convertOne(element, type.of, path)]; // an array of arrays: each element is one inner list
    case 'any':
      // A leaf is text; an element with children is an object whose children are typed generically too.
      return element.children.length === 0 ? element.text : elementToJson(element, undefined, path);
  }
}

/** Numbers and booleans: trimmed text; an empty element leaves the field out (e.g. a future-amount authorize). */
function scalar(element: XmlElement, path: string, expected: string, parse: (text: string) => unknown): unknown {
  if (element.children.length > 0) return badValue(path, expected);
  const text = element.text.trim();
  if (text === '') return undefined;
  const value = parse(text);
  return value === undefined ? badValue(path, expected) : value;
}

function safeNumber(text: string): number | undefined {
  const n = Number(text);
  // Integers beyond 2^53 would silently change value in JSON: refuse rather than send a different amount.
  if (!Number.isFinite(n) || (!text.includes('.') && !Number.isSafeInteger(n))) return undefined;
  return n;
}

function badValue(field: string, expected: string): never {
  throw gwError('GW_DIALECT_BAD_VALUE', { field: field.slice(0, 120), expected });
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
