// One iterative pass over the text that proves well-formedness and enforces every XmlLimit before any parser
// runs: no recursion (a 10,000-deep document stops at maxDepth, never RangeError) and linear time.
import { gwError, type GatewayError } from '../errors.js';
import { FORBIDDEN_NAMES, ILLEGAL_CHAR, NAME, REFERENCE, referencedCodePoint } from './xml-chars.js';
import type { XmlLimits } from './xml-tree.js';

export interface ScanResult {
  /** Qualified element names in document (start-tag) order; authoritative for the tree builder. */
  readonly names: readonly string[];
}

const SPACE = /[ \t\r\n]+/y;
const XML_DECL =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/y;
const DTD = /<!\s*(?:doctype|entity|element|attlist|notation)/iy;

export function scanXml(text: string, limits: XmlLimits): ScanResult {
  return new Scanner(text, limits).run();
}

class Scanner {
  readonly #t: string;
  readonly #limits: XmlLimits;
  #pos = 0;
  readonly #names: string[] = [];
  readonly #stack: string[] = [];
  readonly #textLen: number[] = [];
  // Cached next positions so repeated look-aheads stay linear over the whole document.
  #nextAmp = -1;
  #nextCdEnd = -1;

  constructor(text: string, limits: XmlLimits) {
    this.#t = text;
    this.#limits = limits;
  }

  run(): ScanResult {
    const t = this.#t;
    if (ILLEGAL_CHAR.test(t)) throw this.#malformed('illegal character');
    if (t.startsWith('<?xml') && /^<\?xml[ \t\n]/.test(t)) {
      XML_DECL.lastIndex = 0;
      if (!XML_DECL.test(t)) throw this.#malformed('bad XML declaration');
      this.#pos = XML_DECL.lastIndex;
    }
    this.#misc(); // prolog
    if (this.#pos >= t.length || t[this.#pos] !== '<') throw this.#malformed('no root element');
    this.#startTag();
    while (this.#stack.length > 0) this.#content();
    this.#misc(); // epilog: a second root, text or anything else after the root is not well-formed
    if (this.#pos < t.length) throw this.#malformed('content after the root element');
    return { names: this.#names };
  }

  /** Whitespace, comments and processing instructions (outside the root element). */
  #misc(): void {
    const t = this.#t;
    for (;;) {
      this.#skipSpace();
      if (t.startsWith('<!--', this.#pos)) this.#comment();
      else if (t.startsWith('<?', this.#pos)) this.#pi();
      else if (t.startsWith('<!', this.#pos)) throw this.#declaration();
      else return;
    }
  }

  #content(): void {
    const t = this.#t;
    const lt = t.indexOf('<', this.#pos);
    if (lt < 0) throw this.#malformed('unclosed element');
    if (lt > this.#pos) this.#text(this.#pos, lt);
    this.#pos = lt;
    const c = t[lt + 1];
    if (c === '/') this.#endTag();
    else if (c === '?') this.#pi();
    else if (t.startsWith('<!--', lt)) this.#comment();
    else if (t.startsWith('<![CDATA[', lt)) this.#cdata();
    else if (c === '!') throw this.#declaration();
    else this.#startTag();
  }

  #startTag(): void {
    const t = this.#t;
    const name = this.#name(this.#pos + 1);
    this.#names.push(name);
    if (this.#names.length > this.#limits.maxElements) {
      throw gwError('GW_INGRESS_TOO_MANY_ELEMENTS', { limit: this.#limits.maxElements });
    }
    if (this.#stack.length + 1 > this.#limits.maxDepth) {
      throw gwError('GW_INGRESS_DEPTH_EXCEEDED', { limit: this.#limits.maxDepth });
    }
    const seen = new Set<string>();
    for (;;) {
      const spaced = this.#skipSpace();
      const c = t[this.#pos];
      if (c === '>') {
        this.#pos++;
        this.#stack.push(name);
        this.#textLen.push(0);
        return;
      }
      if (c === '/' && t[this.#pos + 1] === '>') {
        this.#pos += 2;
        return; // empty element: opened and closed
      }
      if (c === undefined) throw this.#malformed('unclosed start tag');
      if (!spaced) throw this.#malformed('attributes must be separated by white space');
      const attr = this.#name(this.#pos);
      if (seen.has(attr)) throw this.#malformed('duplicate attribute');
      seen.add(attr);
      if (seen.size > this.#limits.maxAttributes) {
        throw gwError('GW_INGRESS_TOO_MANY_ATTRIBUTES', { limit: this.#limits.maxAttributes });
      }
      this.#skipSpace();
      if (t[this.#pos] !== '=') throw this.#malformed('attribute without value');
      this.#pos++;
      this.#skipSpace();
      const quote = t[this.#pos];
      if (quote !== '"' && quote !== "'") throw this.#malformed('unquoted attribute value');
      const end = t.indexOf(quote, this.#pos + 1);
      if (end < 0) throw this.#malformed('unterminated attribute value');
      const value = t.slice(this.#pos + 1, end);
      if (value.includes('<')) throw this.#malformed("'<' in attribute value");
      this.#checkLength(this.#referencesIn(value, 0, value.length, false));
      this.#pos = end + 1;
    }
  }

  #endTag(): void {
    const name = this.#name(this.#pos + 2);
    if (name !== this.#stack[this.#stack.length - 1]) throw this.#malformed('mismatched end tag');
    this.#skipSpace();
    if (this.#t[this.#pos] !== '>') throw this.#malformed('bad end tag');
    this.#pos++;
    this.#stack.pop();
    this.#textLen.pop();
  }

  /** Character data between markup: references must be predefined or numeric; "]]>" is not allowed. */
  #text(from: number, to: number): void {
    if (this.#nextCdEnd < from) this.#nextCdEnd = indexOrEnd(this.#t, ']]>', from);
    if (this.#nextCdEnd < to) throw this.#malformed("']]>' in text");
    this.#addText(this.#referencesIn(this.#t, from, to, true));
  }

  #cdata(): void {
    const start = this.#pos + 9;
    const end = this.#t.indexOf(']]>', start);
    if (end < 0) throw this.#malformed('unterminated CDATA section');
    this.#addText(end - start);
    this.#pos = end + 3;
  }

  #comment(): void {
    const end = this.#t.indexOf('--', this.#pos + 4);
    if (end < 0 || this.#t[end + 2] !== '>') throw this.#malformed("unterminated comment or '--' inside it");
    this.#pos = end + 3;
  }

  #pi(): void {
    const target = this.#name(this.#pos + 2);
    if (target.toLowerCase() === 'xml') throw this.#malformed('misplaced XML declaration');
    const end = this.#t.indexOf('?>', this.#pos);
    if (end < 0) throw this.#malformed('unterminated processing instruction');
    if (end !== this.#pos && !this.#skipSpace()) throw this.#malformed('bad processing instruction');
    this.#pos = end + 2;
  }

  /** Validates references in s[from, to) and returns the decoded length (UTF-16 units). */
  #referencesIn(s: string, from: number, to: number, cached: boolean): number {
    let length = to - from;
    let amp = cached ? this.#ampFrom(from) : s.indexOf('&', from);
    while (amp >= 0 && amp < to) {
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(s);
      if (m === null || REFERENCE.lastIndex > to) throw this.#malformed('undeclared entity or bad reference');
      let decoded = 1;
      if (m[1] === undefined) {
        const cp = referencedCodePoint(m[2], m[3]);
        if (cp === undefined) throw this.#malformed('reference to an illegal character');
        decoded = cp > 0xffff ? 2 : 1;
      }
      length -= m[0].length - decoded;
      amp = cached ? this.#ampFrom(REFERENCE.lastIndex) : s.indexOf('&', REFERENCE.lastIndex);
    }
    return length;
  }

  #ampFrom(from: number): number {
    if (this.#nextAmp < from) this.#nextAmp = indexOrEnd(this.#t, '&', from);
    return this.#nextAmp;
  }

  #addText(length: number): void {
    const i = this.#textLen.length - 1;
    const total = (this.#textLen[i] ?? 0) + length;
    this.#textLen[i] = total;
    this.#checkLength(total);
  }

  #checkLength(length: number): void {
    if (length > this.#limits.maxTextLength) throw gwError('GW_INGRESS_TEXT_TOO_LONG', { limit: this.#limits.maxTextLength });
  }

  /** A qualified name at `at` (moves past it); at most one colon, never first or last; no forbidden parts. */
  #name(at: number): string {
    NAME.lastIndex = at;
    const m = NAME.exec(this.#t);
    if (m === null) throw this.#malformed('expected a name');
    const name = m[0];
    this.#pos = NAME.lastIndex;
    const colon = name.indexOf(':');
    if (colon === 0 || colon === name.length - 1 || (colon > 0 && name.indexOf(':', colon + 1) >= 0)) {
      throw this.#malformed('bad qualified name');
    }
    for (const part of colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : [name]) {
      if (FORBIDDEN_NAMES.has(part)) throw gwError('GW_INGRESS_FORBIDDEN_NAME', { name: part });
    }
    return name;
  }

  #skipSpace(): boolean {
    SPACE.lastIndex = this.#pos;
    if (!SPACE.test(this.#t)) return false;
    this.#pos = SPACE.lastIndex;
    return true;
  }

  #declaration(): GatewayError {
    DTD.lastIndex = this.#pos;
    return DTD.test(this.#t) ? gwError('GW_INGRESS_DOCTYPE_FORBIDDEN') : this.#malformed("unexpected '<!'");
  }

  /** The fault shows only the catalogue message; the reason and offset stay in `cause` for debug logs. */
  #malformed(reason: string): GatewayError {
    return gwError('GW_INGRESS_MALFORMED_XML', {}, new Error(`${reason} at offset ${this.#pos}`));
  }
}

function indexOrEnd(s: string, needle: string, from: number): number {
  const i = s.indexOf(needle, from);
  return i < 0 ? s.length : i;
}
