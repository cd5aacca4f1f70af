// XML escaping for everything the gateway writes (replies, faults, served WSDL addresses).

const TEXT: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR: Readonly<Record<string, string>> = { ...TEXT, '"': '&quot;', "'": '&apos;' };

// Characters XML 1.0 cannot carry at all (C0 controls except tab/CR/LF, lone surrogates, U+FFFE/U+FFFF) are dropped,
// so a stray control character in upstream data can never make a reply unparseable.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NEEDS_TEXT_ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escapes element text content; CR is written as a reference so it survives XML line-end normalisation. */
export function escapeText(value: string): string {
  if (!NEEDS_TEXT_ESCAPE.test(value)) return value;
  return value.replace(NOT_XML, '').replace(/[&<>]/g, (c) => TEXT[c] ?? c).replace(/\r/g, '&#13;');
}

/** Escapes a double- or single-quoted attribute value (whitespace kept through references). */
export function escapeAttr(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/[&<>"']/g, (c) => ATTR[c] ?? c)
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
