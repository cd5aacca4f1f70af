// Turns body bytes into text only when the BOM, the Content-Type charset and the XML declaration agree,
// and refuses any DTD before a parser ever sees the text (XXE, billion laughs, quadratic blow-up).
import { gwError } from '../errors.js';

/** Encodings the gateway decodes; anything else is refused. */
export type BodyEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'iso-8859-1' | 'us-ascii';
type Declared = BodyEncoding | 'utf-16';

const ALIASES: ReadonlyMap<string, Declared> = new Map([
  ['utf-8', 'utf-8'], ['utf8', 'utf-8'],
  ['utf-16', 'utf-16'], ['utf16', 'utf-16'], ['utf-16le', 'utf-16le'], ['utf-16be', 'utf-16be'],
  ['iso-8859-1', 'iso-8859-1'], ['iso_8859-1', 'iso-8859-1'], ['iso8859-1', 'iso-8859-1'], ['latin1', 'iso-8859-1'],
  ['latin-1', 'iso-8859-1'], ['l1', 'iso-8859-1'], ['cp819', 'iso-8859-1'], ['iso-ir-100', 'iso-8859-1'],
  ['us-ascii', 'us-ascii'], ['ascii', 'us-ascii'], ['iso646-us', 'us-ascii'], ['ansi_x3.4-1968', 'us-ascii'],
]);

/** A DTD in any form: DOCTYPE or a stray declaration; matched anywhere, in any case, with any spacing. */
const DTD_MARKUP = /<!\s*(?:doctype|entity|element|attlist|notation)/i;
const DECL_ENCODING = /^<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']{0,40})["']/;

export interface DecodedBody {
  readonly text: string;
  readonly encoding: BodyEncoding;
}

/** Decodes an XML body; throws GW_INGRESS_ENCODING_MISMATCH / GW_INGRESS_INVALID_UTF8 / GW_INGRESS_DOCTYPE_FORBIDDEN. */
export function decodeXmlBody(bytes: Buffer, headerCharset: string | undefined): DecodedBody {
  const bom = sniffBom(bytes);
  const header = headerCharset === undefined ? undefined : normalize(headerCharset);
  if (bom === undefined && looksLikeUtf16(bytes)) throw mismatch(); // UTF-16 must carry a BOM
  if (bom !== undefined && header !== undefined && !agrees(bom, header)) throw mismatch();
  const declaredName = declarationEncoding(bytes, bom);
  const declared = declaredName === undefined ? undefined : normalize(declaredName);
  let chosen: Declared | undefined = bom ?? header;
  if (declared !== undefined) {
    if (chosen !== undefined && !agrees(chosen, declared) && !agrees(declared, chosen)) throw mismatch();
    chosen ??= declared;
  }
  const encoding = resolve(chosen ?? 'utf-8', bom);
  const text = decode(bytes, encoding);
  assertNoDtd(text);
  return { text, encoding };
}

/** Decodes a JSON body: UTF-8 only (RFC 8259). */
export function decodeJsonBody(bytes: Buffer, headerCharset: string | undefined): DecodedBody {
  if (headerCharset !== undefined && normalize(headerCharset) !== 'utf-8') throw mismatch();
  const bom = sniffBom(bytes);
  if ((bom !== undefined && bom !== 'utf-8') || looksLikeUtf16(bytes)) throw mismatch();
  return { text: decode(bytes, 'utf-8'), encoding: 'utf-8' };
}

/** Refuses any DTD markup; also used by parseXml so text from any source gets the same guard. */
export function assertNoDtd(text: string): void {
  if (DTD_MARKUP.test(text)) throw gwError('GW_INGRESS_DOCTYPE_FORBIDDEN');
}

function normalize(name: string): Declared {
  const n = ALIASES.get(name.trim().toLowerCase());
  if (n === undefined) throw mismatch();
  return n;
}

function sniffBom(b: Buffer): BodyEncoding | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** "<" or "<?" as UTF-16 without a BOM (or any NUL among the first bytes: no supported 8-bit encoding has one). */
function looksLikeUtf16(b: Buffer): boolean {
  const head = b.subarray(0, 4);
  return head.includes(0);
}

/** Does an encoding found from stronger evidence (`actual`) satisfy the weaker declaration? */
function agrees(actual: Declared, declared: Declared): boolean {
  if (actual === declared) return true;
  return declared === 'utf-16' && (actual === 'utf-16le' || actual === 'utf-16be');
}

function resolve(chosen: Declared, bom: BodyEncoding | undefined): BodyEncoding {
  const isUtf16 = chosen === 'utf-16' || chosen === 'utf-16le' || chosen === 'utf-16be';
  if (isUtf16 !== (bom === 'utf-16le' || bom === 'utf-16be')) throw mismatch(); // UTF-16 iff a UTF-16 BOM
  if (chosen === 'utf-16') return bom as BodyEncoding;
  if (bom === 'utf-8' && chosen !== 'utf-8') throw mismatch();
  return chosen;
}

function declarationEncoding(bytes: Buffer, bom: BodyEncoding | undefined): string | undefined {
  let head: string;
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    head = new TextDecoder(bom).decode(bytes.subarray(0, 512));
  } else {
    head = bytes.subarray(bom === 'utf-8' ? 3 : 0, 256).toString('latin1');
  }
  return DECL_ENCODING.exec(head)?.[1];
}

function decode(bytes: Buffer, encoding: BodyEncoding): string {
  if (encoding === 'iso-8859-1') return bytes.toString('latin1'); // true ISO-8859-1 (TextDecoder would use windows-1252)
  if (encoding === 'us-ascii') {
    if (bytes.some((b) => b > 0x7f)) throw gwError('GW_INGRESS_INVALID_UTF8');
    return bytes.toString('latin1');
  }
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (err) {
    throw gwError('GW_INGRESS_INVALID_UTF8', {}, err);
  }
}

function mismatch() {
  return gwError('GW_INGRESS_ENCODING_MISMATCH');
}
