// WS-Security UsernameToken (OASIS UsernameToken Profile 1.0): PasswordText and PasswordDigest
// (Base64(SHA-1(nonce + created + password))), with a Created window and a nonce replay cache.
import { createHash } from 'node:crypto';
import type { XmlElement } from '../xml-tree.js';
import { secretEquals } from './secret-equals.js';

export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** `{ns}local` of wsse:Security, as the SOAP router's understoodHeaders expects. */
export const WSSE_SECURITY_KEY = '{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}Security';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
export const PASSWORD_TEXT = `${PROFILE}#PasswordText`;
export const PASSWORD_DIGEST = `${PROFILE}#PasswordDigest`;
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const XSD_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

export interface UsernameToken {
  readonly username: string;
  readonly password: string;
  readonly type: 'text' | 'digest';
  /** Base64 text as sent. */
  readonly nonce: string | undefined;
  readonly created: string | undefined;
}

/** The wsse:Security header element among the SOAP header's children (what mustUnderstand refers to). */
export function isWsseSecurityHeader(el: XmlElement): boolean {
  return el.ns === WSSE_NS && el.local === 'Security';
}

/**
 * The UsernameToken among the SOAP header blocks: undefined when none is present, 'invalid' when the header is ambiguous or
 * malformed (two Security headers or tokens, missing Username/Password, unknown password type or nonce encoding).
 */
export function findUsernameToken(headerBlocks: readonly XmlElement[] | undefined): UsernameToken | 'invalid' | undefined {
  if (headerBlocks === undefined) return undefined;
  const securities = headerBlocks.filter(isWsseSecurityHeader);
  if (securities.length === 0) return undefined;
  const tokens = securities.flatMap((s) => s.children.filter((c) => c.ns === WSSE_NS && c.local === 'UsernameToken'));
  if (tokens.length === 0) return undefined;
  if (securities.length > 1 || tokens.length > 1) return 'invalid';
  const token = tokens[0] as XmlElement;
  const username = single(token, WSSE_NS, 'Username');
  const password = single(token, WSSE_NS, 'Password');
  const nonce = single(token, WSSE_NS, 'Nonce');
  const created = single(token, WSU_NS, 'Created') ?? single(token, WSSE_NS, 'Created');
  if (username === 'invalid' || password === 'invalid' || nonce === 'invalid' || created === 'invalid') return 'invalid';
  if (username === undefined || password === undefined) return 'invalid';
  const typeAttr = password.attrs.Type ?? PASSWORD_TEXT;
  if (typeAttr !== PASSWORD_TEXT && typeAttr !== PASSWORD_DIGEST) return 'invalid';
  if (nonce !== undefined && (nonce.attrs.EncodingType ?? BASE64_BINARY) !== BASE64_BINARY) return 'invalid';
  return {
    username: username.text.trim(),
    password: password.text.trim(),
    type: typeAttr === PASSWORD_DIGEST ? 'digest' : 'text',
    nonce: nonce?.text.trim(),
    created: created?.text.trim(),
  };
}

export interface WsseCheck {
  /** The configured password of the claimed user, or undefined for an unknown user (compared against a dummy). */
  readonly expectedPassword: string | undefined;
  readonly nowMs: number;
  readonly windowSeconds: number;
}

/** Verifies the token; returns a reason on failure (for debug logs only), undefined on success. */
export function verifyUsernameToken(token: UsernameToken, check: WsseCheck): string | undefined {
  const known = check.expectedPassword !== undefined;
  const secret = check.expectedPassword ?? 'unknown-user-dummy-secret';
  // Without a Nonce and a Created, a captured PasswordText token could be replayed for ever: both are required for
  // either password type, so the replay cache and the time window always apply.
  if (token.nonce === undefined || token.created === undefined) return `${token.type === 'digest' ? 'PasswordDigest' : 'PasswordText'} needs Nonce and Created`;
  if (!XSD_DATETIME.test(token.created)) return 'bad Created';
  const created = Date.parse(token.created);
  if (!Number.isFinite(created) || Math.abs(check.nowMs - created) > check.windowSeconds * 1000) {
    return 'Created outside the window';
  }
  if (!BASE64.test(token.nonce) || token.nonce.length === 0 || token.nonce.length > 256) {
    return 'bad Nonce';
  }
  let ok: boolean;
  if (token.type === 'digest') {
    if (!BASE64.test(token.password)) return 'bad digest';
    ok = secretEquals(Buffer.from(token.password, 'base64'), passwordDigest(token.nonce, token.created, secret));
  } else {
    ok = secretEquals(token.password, secret);
  }
  return ok && known ? undefined : 'wrong user or password';
}

/** Base64(SHA-1(nonce bytes + Created + password)) as raw digest bytes. */
export function passwordDigest(nonceBase64: string, created: string, password: string): Buffer {
  return createHash('sha1').update(Buffer.from(nonceBase64, 'base64')).update(created, 'utf8').update(password, 'utf8').digest();
}

function single(parent: XmlElement, ns: string, local: string): XmlElement | 'invalid' | undefined {
  const found = parent.children.filter((c) => c.ns === ns && c.local === local);
  if (found.length > 1) return 'invalid';
  return found[0];
}
