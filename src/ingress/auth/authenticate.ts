// Who is calling: every credential the client presents for a method its endpoint accepts must be valid and name
// the same client; with none presented, 'none' admits it as anonymous. Failures are counted per address and per
// configured user name, so a password guesser cannot escape the limit by changing address.
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../../config.js';
import { gwError, isGatewayError } from '../../errors.js';
import type { ClientIdentity } from '../../route/message.js';
import type { XmlElement } from '../xml-tree.js';
import { parseBasic } from './basic.js';
import { FailureLimiter } from './failure-limiter.js';
import { clientsForCertificate, peerCertificate } from './mtls.js';
import { NonceCache } from './nonce-cache.js';
import { secretEquals } from './secret-equals.js';
import { findUsernameToken, verifyUsernameToken } from './wsse.js';
import { takeBodyCredentials } from './body-credentials.js';

export type AuthMethod = ClientIdentity['method'];

export interface AuthRequest {
  readonly headers: IncomingHttpHeaders;
  /** The connection (a net.Socket, or a TLSSocket carrying the client certificate for mTLS). */
  readonly socket: Pick<Socket, 'remoteAddress'> | null | undefined;
  /** The SOAP Header element (for WS-Security), when the message has one… */
  readonly soapHeader?: XmlElement | undefined;
  /** …or its header blocks directly (what the SOAP router hands over); used when given. */
  readonly soapHeaders?: readonly XmlElement[] | undefined;
  /** The typed operation content, for endpoints whose contract carries credentials in the body (password removed). */
  readonly body?: Record<string, unknown> | undefined;
}

/** Per-gateway authentication state (never module-level): failure counts and the nonce replay cache. */
export interface AuthDeps {
  readonly failures: FailureLimiter;
  /** Failures per configured user name (unknown names are not counted: they can never succeed, and would fill it). */
  readonly userFailures: FailureLimiter;
  readonly nonces: NonceCache;
  /** Epoch ms. */
  readonly now: () => number;
}

export const ANONYMOUS: ClientIdentity = Object.freeze({ name: 'anonymous', method: 'none' });

export function createAuthDeps(config: Config, now: () => number = Date.now): AuthDeps {
  const { auth } = config;
  return {
    failures: new FailureLimiter(auth.maxFailuresPerMinute, auth.maxTrackedAddresses, now),
    userFailures: new FailureLimiter(auth.maxFailuresPerUserPerMinute, Object.keys(config.clients).length, now),
    // Created may lie up to one window in the future or the past: remember nonces for both.
    nonces: new NonceCache(2 * auth.timestampWindowSeconds * 1000, auth.maxNonces, now),
    now,
  };
}

/** The methods an endpoint accepts (default: none, as in the schema). */
export function acceptedMethods(endpointName: string, config: Pick<Config, 'endpoints'>): readonly AuthMethod[] {
  return Object.hasOwn(config.endpoints, endpointName) ? (config.endpoints[endpointName]?.auth ?? ['none']) : ['none'];
}

/** Whether the SOAP layer should treat a mustUnderstand wsse:Security header as understood. */
export function understandsWsse(endpointName: string, config: Config): boolean {
  return acceptedMethods(endpointName, config).includes('wsse');
}

/** Throws GW_AUTH_RATE_LIMITED or GW_AUTH_FAILED (the reason only in `cause`, never in the fault). */
export function authenticate(request: AuthRequest, endpointName: string, config: Config, deps: AuthDeps): ClientIdentity {
  const address = request.socket?.remoteAddress ?? 'unknown';
  if (deps.failures.isLimited(address)) throw gwError('GW_AUTH_RATE_LIMITED');
  const claimed: string[] = [];
  try {
    return identify(request, acceptedMethods(endpointName, config), config, deps, claimed, endpointName);
  } catch (err) {
    if (isGatewayError(err, 'GW_AUTH_FAILED')) {
      deps.failures.recordFailure(address);
      for (const name of new Set(claimed)) if (passwordOf(name, config) !== undefined) deps.userFailures.recordFailure(name);
    }
    throw err;
  }
}

/** Notes a claimed user name; refuses at once when that user is over its failure limit (before any password check). */
function claim(name: string, claimed: string[], deps: AuthDeps): void {
  claimed.push(name);
  if (deps.userFailures.isLimited(name)) throw gwError('GW_AUTH_RATE_LIMITED');
}

/** A user name and clear password (HTTP Basic, or body fields): compared in constant time, counted per user. */
function checkPassword(
  method: 'basic' | 'body', username: string, password: string, config: Config, deps: AuthDeps, claimed: string[],
): ClientIdentity {
  claim(username, claimed, deps);
  const expected = passwordOf(username, config);
  // An unknown user still costs one comparison, so timing does not tell configured names from unknown ones.
  const ok = secretEquals(password, expected ?? 'unknown-user-dummy-secret');
  if (!ok || expected === undefined) throw failed(`${method}: wrong user or password`);
  return { name: username, method };
}

function identify(request: AuthRequest, accepted: readonly AuthMethod[], config: Config, deps: AuthDeps, claimed: string[], endpointName: string): ClientIdentity {
  const found: ClientIdentity[] = [];
  const bodySpec = Object.hasOwn(config.endpoints, endpointName) ? config.endpoints[endpointName]?.bodyCredentials : undefined;
  if (bodySpec !== undefined && request.body !== undefined) {
    const creds = takeBodyCredentials(request.body, bodySpec);
    if (creds === 'invalid') throw failed('body credentials incomplete');
    if (creds !== undefined) found.push(checkPassword('body', creds.username, creds.password, config, deps, claimed));
  }
  if (accepted.includes('mtls')) {
    const cert = peerCertificate(request.socket);
    if (cert !== undefined) {
      if (!cert.authorized) throw failed('certificate not trusted');
      const names = clientsForCertificate(cert, config.clients);
      if (names.length !== 1) throw failed(names.length === 0 ? 'certificate matches no client' : 'certificate matches several clients');
      found.push({ name: names[0] as string, method: 'mtls' });
    }
  }
  if (accepted.includes('wsse')) {
    const token = findUsernameToken(request.soapHeaders ?? request.soapHeader?.children);
    if (token === 'invalid') throw failed('malformed UsernameToken');
    if (token !== undefined) {
      claim(token.username, claimed, deps);
      const expectedPassword = passwordOf(token.username, config);
      const reason = verifyUsernameToken(token, {
        expectedPassword,
        nowMs: deps.now(),
        windowSeconds: config.auth.timestampWindowSeconds,
      });
      if (reason !== undefined) throw failed(`wsse: ${reason}`);
      // Only verified tokens reach the cache, so strangers cannot fill it.
      if (token.nonce !== undefined && !deps.nonces.remember(`${token.username}\u0000${token.nonce}`)) {
        throw failed('wsse: nonce replayed (or replay cache full)');
      }
      found.push({ name: token.username, method: 'wsse' });
    }
  }
  if (accepted.includes('basic')) {
    const basic = parseBasic(firstHeader(request.headers.authorization));
    if (basic === 'invalid') throw failed('malformed Basic header');
    if (basic !== undefined) found.push(checkPassword('basic', basic.username, basic.password, config, deps, claimed));
  }
  const first = found[0];
  if (first === undefined) {
    if (accepted.includes('none')) return ANONYMOUS;
    throw failed('no accepted credentials presented');
  }
  if (found.some((f) => f.name !== first.name)) throw failed('credentials name different clients');
  return Object.freeze({ ...first });
}

function passwordOf(username: string, config: Config): string | undefined {
  if (username === '' || username === ANONYMOUS.name || !Object.hasOwn(config.clients, username)) return undefined;
  return config.clients[username]?.password;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function failed(reason: string) {
  return gwError('GW_AUTH_FAILED', {}, new Error(reason));
}
