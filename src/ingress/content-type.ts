// Parses Content-Type strictly (RFC 9110 media type + parameters) so ingress decides on facts, not guesses.

export interface ContentType {
  /** Lower-cased "type/subtype". */
  readonly mediaType: string;
  /** Lower-cased parameter names → values (quotes removed); null prototype, keyed by input. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The parsed header, or undefined when it is absent or not a valid media type. */
export function parseContentType(header: string | undefined): ContentType | undefined {
  if (header === undefined || header.length > 1024) return undefined;
  const parts = splitParams(header);
  if (parts === undefined) return undefined;
  const [type = '', ...rest] = parts;
  const mediaType = type.trim().toLowerCase();
  if (!MEDIA_TYPE.test(mediaType)) return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const raw of rest) {
    const p = raw.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq <= 0) return undefined;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (!TOKEN.test(name)) return undefined;
    if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) return undefined;
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    } else if (!TOKEN.test(value)) {
      return undefined;
    }
    if (Object.hasOwn(params, name)) return undefined; // a repeated parameter is ambiguous
    params[name] = value;
  }
  return { mediaType, params };
}

/** Splits on ';' outside quoted strings; undefined when a quote is left open. */
function splitParams(header: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      out.push(header.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  out.push(header.slice(start));
  return out;
}

/** True for XML media types (text/xml, application/xml, application/soap+xml, any +xml). */
export function isXmlMediaType(mediaType: string): boolean {
  return mediaType === 'text/xml' || mediaType === 'application/xml' || mediaType.endsWith('+xml');
}

/** A header value made safe to echo in a fault: printable ASCII only, bounded length. */
export function printable(value: string, max = 80): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
