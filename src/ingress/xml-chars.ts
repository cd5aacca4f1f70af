// XML 1.0 lexical rules shared by the pre-scan and the tree builder: names, legal characters, the five
// predefined entities and character references (never any other entity).

const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;

/** An XML Name at lastIndex (sticky). */
export const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');

/** Any character outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/FFFF). */
export const ILLEGAL_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** One reference at lastIndex (sticky): predefined entity or character reference. */
export const REFERENCE = /&(?:(lt|gt|amp|apos|quot)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,7}));/y;

/** Local names (and prefixes) refused because they collide with JavaScript object internals. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const PREDEFINED: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' }),
);

/** Code point of a character reference if it names a legal XML character, else undefined. */
export function referencedCodePoint(decimal: string | undefined, hex: string | undefined): number | undefined {
  const cp = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  const legal =
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  return legal ? cp : undefined;
}

const ALL_REFERENCES = /&(?:(lt|gt|amp|apos|quot)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,7}));/g;

/** Decodes references in text the pre-scan already validated. */
export function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ALL_REFERENCES, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return PREDEFINED[name] ?? whole;
    const cp = referencedCodePoint(dec, hex);
    return cp === undefined ? whole : String.fromCodePoint(cp);
  });
}

/** Attribute-value normalisation (XML 1.0 §3.3.3) then reference decoding. */
export function attributeValue(raw: string): string {
  return decodeReferences(raw.replace(/[\t\n\r]/g, ' '));
}
