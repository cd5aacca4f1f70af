// HTTP Basic (RFC 7617): the Authorization header's user name and password, UTF-8.

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** undefined when no Basic header is present, 'invalid' when it is present but malformed. */
export function parseBasic(header: string | undefined): BasicCredentials | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic[ ]+(\S+)\s*$/i.exec(header);
  if (m === null) return /^Basic\b/i.test(header) ? 'invalid' : undefined;
  const encoded = m[1] ?? '';
  if (!BASE64.test(encoded) || encoded.length > 1024) return 'invalid';
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return 'invalid';
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'invalid';
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
