// XSD simple types: which built-ins exist, how a lexical value becomes a JS value (and back), and facet checks.
// Money rule: xsd:decimal stays a string both ways, so no amount ever passes through a float.
import type { SimpleFacets, SimpleTypeDef, ValueKind } from './wsdl-schema-model.js';
import { compareDecimal, countDigits, DECIMAL_RE, INTEGER_RE } from './wsdl-decimal.js';

const INT_RANGES: Readonly<Record<string, readonly [string | undefined, string | undefined]>> = {
  integer: [undefined, undefined],
  long: ['-9223372036854775808', '9223372036854775807'],
  int: ['-2147483648', '2147483647'],
  short: ['-32768', '32767'],
  byte: ['-128', '127'],
  nonNegativeInteger: ['0', undefined],
  positiveInteger: ['1', undefined],
  nonPositiveInteger: [undefined, '0'],
  negativeInteger: [undefined, '-1'],
  unsignedLong: ['0', '18446744073709551615'],
  unsignedInt: ['0', '4294967295'],
  unsignedShort: ['0', '65535'],
  unsignedByte: ['0', '255'],
};
const STRING_TYPES = [
  'string', 'normalizedString', 'token', 'language', 'Name', 'NCName', 'NMTOKEN', 'ID', 'IDREF', 'ENTITY', 'anyURI',
  'QName', 'date', 'dateTime', 'time', 'duration', 'gYear', 'gYearMonth', 'gMonth', 'gMonthDay', 'gDay',
  'base64Binary', 'hexBinary', 'anySimpleType',
];
const LEXICAL: Readonly<Record<string, RegExp>> = {
  dateTime: /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
  date: /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
};
const FLOAT_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The definition of an XSD built-in by local name, or undefined when the gateway does not support it. */
export function builtinType(name: string): SimpleTypeDef | undefined {
  const make = (valueKind: ValueKind, facets: SimpleFacets = {}): SimpleTypeDef =>
    Object.freeze({ kind: 'simple', name, builtin: name, valueKind, collapse: name !== 'string' && name !== 'normalizedString', facets });
  const range = INT_RANGES[name];
  if (range !== undefined) {
    const [min, max] = range;
    return make('integer', { ...(min === undefined ? {} : { minInclusive: min }), ...(max === undefined ? {} : { maxInclusive: max }) });
  }
  if (name === 'decimal') return make('decimal');
  if (name === 'float' || name === 'double') return make('float');
  if (name === 'boolean') return make('boolean');
  if (STRING_TYPES.includes(name)) return make('string');
  return undefined;
}

export type Typed = { readonly ok: true; readonly value: string | number | boolean } | { readonly ok: false; readonly reason: string };
export type Lexical = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Lexical text from the wire → typed JS value (decimal stays a string), or why it is invalid. */
export function parseSimple(type: SimpleTypeDef, raw: string): Typed {
  const text = type.collapse ? raw.replace(/[\t\n\r ]+/g, ' ').trim() : raw;
  const problem = checkLexical(type, text) ?? checkFacets(type, text);
  if (problem !== undefined) return { ok: false, reason: problem };
  switch (type.valueKind) {
    case 'integer':
      return { ok: true, value: Number(text) };
    case 'float':
      return { ok: true, value: Number(text) };
    case 'boolean':
      return { ok: true, value: text === 'true' || text === '1' };
    default:
      return { ok: true, value: text };
  }
}

/** A JS value from a handler → lexical text for the wire, or why it cannot be written as this type. */
export function formatSimple(type: SimpleTypeDef, value: unknown): Lexical {
  const text = toLexical(type, value);
  if (text === undefined) return { ok: false, reason: `cannot be written as ${type.name} from a ${typeof value}` };
  const problem = checkLexical(type, text) ?? checkFacets(type, text);
  return problem === undefined ? { ok: true, text } : { ok: false, reason: problem };
}

function toLexical(type: SimpleTypeDef, value: unknown): string | undefined {
  if (typeof value === 'bigint') return type.valueKind === 'boolean' ? undefined : value.toString();
  if (typeof value === 'boolean') return type.valueKind === 'boolean' || type.valueKind === 'string' ? String(value) : undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // A fractional number is refused for integer and decimal types: money must arrive as a decimal string.
    if ((type.valueKind === 'integer' || type.valueKind === 'decimal') && !Number.isSafeInteger(value)) return undefined;
    return type.valueKind === 'boolean' ? undefined : String(value);
  }
  if (typeof value !== 'string') return undefined;
  if (type.valueKind === 'boolean') return value === '1' ? 'true' : value === '0' ? 'false' : value;
  return type.collapse ? value.replace(/[\t\n\r ]+/g, ' ').trim() : value;
}

function checkLexical(type: SimpleTypeDef, text: string): string | undefined {
  const bad = `is not a valid ${type.name}`;
  switch (type.valueKind) {
    case 'integer':
      if (!INTEGER_RE.test(text)) return bad;
      if (!Number.isSafeInteger(Number(text))) return `is out of the supported integer range`;
      return undefined;
    case 'decimal':
      return DECIMAL_RE.test(text) ? undefined : bad;
    case 'float':
      return FLOAT_RE.test(text) ? undefined : bad;
    case 'boolean':
      return ['true', 'false', '1', '0'].includes(text) ? undefined : bad;
    default: {
      const re = LEXICAL[type.builtin];
      return re === undefined || re.test(text) ? undefined : bad;
    }
  }
}

function checkFacets(type: SimpleTypeDef, text: string): string | undefined {
  const f = type.facets;
  if (f.enumeration !== undefined && !f.enumeration.includes(text)) return 'is not one of the allowed values';
  if (f.patterns?.some((re) => !re.test(text))) return 'does not match the required pattern';
  const length = f.length === undefined && f.minLength === undefined && f.maxLength === undefined ? 0 : [...text].length;
  if (f.length !== undefined && length !== f.length) return `must be exactly ${f.length} characters`;
  if (f.minLength !== undefined && length < f.minLength) return `is shorter than ${f.minLength} characters`;
  if (f.maxLength !== undefined && length > f.maxLength) return `is longer than ${f.maxLength} characters`;
  if (type.valueKind !== 'integer' && type.valueKind !== 'decimal') return undefined;
  const digits = countDigits(text);
  if (f.totalDigits !== undefined && digits.total > f.totalDigits) return `has more than ${f.totalDigits} digits`;
  if (f.fractionDigits !== undefined && digits.fraction > f.fractionDigits) {
    return `has more than ${f.fractionDigits} fraction digits`;
  }
  if (f.minInclusive !== undefined && compareDecimal(text, f.minInclusive) < 0) return `is below the minimum ${f.minInclusive}`;
  if (f.maxInclusive !== undefined && compareDecimal(text, f.maxInclusive) > 0) return `is above the maximum ${f.maxInclusive}`;
  if (f.minExclusive !== undefined && compareDecimal(text, f.minExclusive) <= 0) return `must be above ${f.minExclusive}`;
  if (f.maxExclusive !== undefined && compareDecimal(text, f.maxExclusive) >= 0) return `must be below ${f.maxExclusive}`;
  return undefined;
}
