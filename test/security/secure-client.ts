// A POS client for the security tests: Acme envelopes with a WS-Security UsernameToken and/or HTTP Basic, posted to
// the real gateway; remembers every nonce and digest it sent so tests can grep the logs for them.
import { randomBytes } from 'node:crypto';
import { PASSWORD_DIGEST, PASSWORD_TEXT, passwordDigest, WSSE_NS, WSU_NS } from '../../src/ingress/auth/wsse.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const ACTION = 'http://acme-pos.example.com/payments/2009/';

export interface TokenSpec {
  readonly user: string;
  readonly password: string;
  readonly type?: 'text' | 'digest';
  /** Base64 nonce; a fresh random one when absent. */
  readonly nonce?: string;
  /** xsd:dateTime; now when absent. */
  readonly created?: string;
  readonly mustUnderstand?: boolean;
}

export interface SentToken {
  readonly xml: string;
  readonly nonce: string;
  readonly created: string;
  /** The Password element's text (the password itself for PasswordText, the Base64 digest otherwise). */
  readonly passwordValue: string;
}

export function usernameToken(spec: TokenSpec): SentToken {
  const nonce = spec.nonce ?? randomBytes(16).toString('base64');
  const created = spec.created ?? new Date().toISOString();
  const digest = spec.type !== 'text';
  const passwordValue = digest ? passwordDigest(nonce, created, spec.password).toString('base64') : spec.password;
  const mu = spec.mustUnderstand === true ? ' soap:mustUnderstand="1"' : '';
  const xml =
    `<soap:Header><wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}"${mu}><wsse:UsernameToken>` +
    `<wsse:Username>${spec.user}</wsse:Username>` +
    `<wsse:Password Type="${digest ? PASSWORD_DIGEST : PASSWORD_TEXT}">${passwordValue}</wsse:Password>` +
    `<wsse:Nonce>${nonce}</wsse:Nonce><wsu:Created>${created}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security></soap:Header>`;
  return { xml, nonce, created, passwordValue };
}

/** Puts a SOAP Header (from usernameToken) into an envelope made by acmeEnvelope. */
export function withHeader(envelope: string, header: string): string {
  const at = envelope.indexOf('<soap:Body>');
  if (at < 0) throw new Error('envelope without <soap:Body>');
  return envelope.slice(0, at) + header + envelope.slice(at);
}

export const basicHeader = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

export interface Answer {
  readonly status: number;
  readonly text: string;
  /** Leaf elements by local name (first occurrence). */
  readonly fields: Readonly<Record<string, string>>;
  readonly faultCode: string | undefined;
  readonly faultString: string | undefined;
}

/** POSTs one SOAP 1.1 Acme request; `authorization` adds an HTTP Authorization header. */
export async function postAcme(url: string, operation: string, xml: string, authorization?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${ACTION}${operation}"` };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(url, { method: 'POST', headers, body: xml });
  return answerOf(res.status, await res.text());
}

export function answerOf(status: number, text: string): Answer {
  const fields: Record<string, string> = {};
  for (const m of text.matchAll(/<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)<\/(?:\w+:)?\1>/g)) fields[m[1] as string] ??= m[2] as string;
  return {
    status,
    text,
    fields,
    faultCode: /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1],
    faultString: /<faultstring[^>]*>([^<]*)</.exec(text)?.[1],
  };
}

export { SOAP11 };
