// authenticate(): WS-Security UsernameToken (digest and text), HTTP Basic, method combinations, rate limiting.
import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../src/errors.js';
import { authenticate, createAuthDeps, understandsWsse, type AuthDeps, type AuthRequest } from '../../src/ingress/auth/authenticate.js';
import { basic, NOW, testConfig, wsseHeader } from './auth-fixtures.js';

const config = testConfig();
let clock = NOW;
const deps = (): AuthDeps => createAuthDeps(config, () => clock);
const req = (o: Partial<AuthRequest> & { address?: string } = {}): AuthRequest => ({
  headers: o.headers ?? {},
  socket: { remoteAddress: o.address ?? '10.0.0.1' },
  soapHeader: o.soapHeader,
});
function outcome(r: AuthRequest, endpoint: string, d: AuthDeps): string {
  try {
    const id = authenticate(r, endpoint, config, d);
    return `${id.name}/${id.method}`;
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
}

describe('WS-Security UsernameToken', () => {
  it('accepts a PasswordDigest token and a PasswordText token', () => {
    const d = deps();
    expect(outcome(req({ soapHeader: wsseHeader() }), 'strict', d)).toBe('till-7/wsse');
    expect(outcome(req({ soapHeader: wsseHeader({ type: 'text' }) }), 'strict', d)).toBe('till-7/wsse');
    expect(outcome(req({ soapHeader: wsseHeader({ user: 'till-8', password: 'другой-пароль' }) }), 'strict', d)).toBe('till-8/wsse');
  });
  it.each([
    ['wrong password (digest)', { password: 'nope' }],
    ['wrong password (text)', { type: 'text' as const, password: 'nope' }],
    ['unknown user', { user: 'ghost' }],
    ['prototype-ish user name', { user: 'toString' }],
    ['digest without nonce', { nonce: null }],
    ['digest without Created', { created: null }],
    ['Created too old', { created: new Date(NOW - 301_000).toISOString() }],
    ['Created too far in the future', { created: new Date(NOW + 301_000).toISOString() }],
    ['Created not a dateTime', { created: 'yesterday' }],
    ['nonce not base64', { nonce: '!!not base64!!' }],
    ['two UsernameTokens', { twice: true }],
  ])('refuses %s with the same uninformative fault', (_n, o) => {
    let err: unknown;
    try {
      authenticate(req({ soapHeader: wsseHeader(o) }), 'strict', config, deps());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('GW_AUTH_FAILED');
    expect((err as GatewayError).message).toBe('Authentication failed');
    expect((err as GatewayError).params).toEqual({});
  });
  it('accepts Created at the edge of the window (±300 s)', () => {
    const d = deps();
    expect(outcome(req({ soapHeader: wsseHeader({ created: new Date(NOW - 300_000).toISOString() }) }), 'strict', d)).toBe('till-7/wsse');
    expect(outcome(req({ soapHeader: wsseHeader({ created: new Date(NOW + 300_000).toISOString() }) }), 'strict', d)).toBe('till-7/wsse');
  });
  it('refuses a replayed nonce, also as PasswordText, but not the same nonce from another user', () => {
    const d = deps();
    const nonce = 'bm9uY2Utb25lLXRpbWU=';
    expect(outcome(req({ soapHeader: wsseHeader({ nonce }) }), 'strict', d)).toBe('till-7/wsse');
    expect(outcome(req({ soapHeader: wsseHeader({ nonce }) }), 'strict', d)).toBe('GW_AUTH_FAILED');
    expect(outcome(req({ soapHeader: wsseHeader({ nonce, type: 'text' }) }), 'strict', d)).toBe('GW_AUTH_FAILED');
    expect(outcome(req({ soapHeader: wsseHeader({ nonce, user: 'till-8', password: 'другой-пароль' }) }), 'strict', d)).toBe('till-8/wsse');
  });
  it('forgets nonces once their Created can no longer be accepted (bounded memory)', () => {
    clock = NOW;
    const d = deps();
    const nonce = 'c2Vjb25kLW5vbmNl';
    expect(outcome(req({ soapHeader: wsseHeader({ nonce }) }), 'strict', d)).toBe('till-7/wsse');
    expect(d.nonces.size).toBe(1);
    clock = NOW + 601_000;
    // Same nonce, fresh Created: accepted again because the old entry expired (and is gone from memory).
    const fresh = wsseHeader({ nonce, created: new Date(clock).toISOString() });
    expect(outcome(req({ soapHeader: fresh }), 'strict', d)).toBe('till-7/wsse');
    expect(d.nonces.size).toBe(1);
    clock = NOW;
  });
  it('fails closed when the nonce cache is full', () => {
    const small = testConfig({ auth: { maxNonces: 2 } });
    const d = createAuthDeps(small, () => NOW);
    const run = () => {
      try {
        return authenticate(req({ soapHeader: wsseHeader() }), 'strict', small, d).name;
      } catch (e) {
        return (e as GatewayError).code;
      }
    };
    expect([run(), run(), run()]).toEqual(['till-7', 'till-7', 'GW_AUTH_FAILED']);
  });
  it('treats wsse:Security as understood only where wsse is accepted', () => {
    expect(understandsWsse('strict', config)).toBe(true);
    expect(understandsWsse('unknown-endpoint', config)).toBe(false);
    expect(outcome(req({ soapHeader: wsseHeader({ mustUnderstand: true }) }), 'wsseOnly', deps())).toBe('till-7/wsse');
  });
});

describe('HTTP Basic and method rules', () => {
  it.each<[string, AuthRequest, string, string]>([
    ['valid Basic', req({ headers: { authorization: basic('till-7', 's3cret-till-7') } }), 'strict', 'till-7/basic'],
    ['UTF-8 password', req({ headers: { authorization: basic('till-8', 'другой-пароль') } }), 'strict', 'till-8/basic'],
    ['wrong password', req({ headers: { authorization: basic('till-7', 'x') } }), 'strict', 'GW_AUTH_FAILED'],
    ['password prefix only', req({ headers: { authorization: basic('till-7', 's3cret') } }), 'strict', 'GW_AUTH_FAILED'],
    ['__proto__ user', req({ headers: { authorization: basic('__proto__', 'x') } }), 'strict', 'GW_AUTH_FAILED'],
    ['client without password', req({ headers: { authorization: basic('anonymous', '') } }), 'strict', 'GW_AUTH_FAILED'],
    ['malformed Basic', req({ headers: { authorization: 'Basic %%%' } }), 'strict', 'GW_AUTH_FAILED'],
    ['no credentials, strict endpoint', req(), 'strict', 'GW_AUTH_FAILED'],
    ['no credentials, open endpoint', req(), 'open', 'anonymous/none'],
    ['no credentials, unconfigured endpoint', req(), 'nowhere', 'anonymous/none'],
    ['bad credentials never downgrade to anonymous', req({ headers: { authorization: basic('till-7', 'x') } }), 'open', 'GW_AUTH_FAILED'],
    ['Basic ignored where not accepted', req({ headers: { authorization: basic('till-7', 'x') } }), 'wsseOnly', 'GW_AUTH_FAILED'],
    ['Bearer is not Basic', req({ headers: { authorization: 'Bearer abc' } }), 'open', 'anonymous/none'],
    [
      'wsse and Basic naming different clients',
      req({ headers: { authorization: basic('till-8', 'другой-пароль') }, soapHeader: wsseHeader() }),
      'strict',
      'GW_AUTH_FAILED',
    ],
    [
      'wsse and Basic naming the same client',
      req({ headers: { authorization: basic('till-7', 's3cret-till-7') }, soapHeader: wsseHeader() }),
      'strict',
      'till-7/wsse',
    ],
  ])('%s', (_n, r, endpoint, expected) => {
    expect(outcome(r, endpoint, deps())).toBe(expected);
  });
});

describe('rate limiting of failures per address', () => {
  it('locks an address out after maxFailuresPerMinute failures, even with right credentials, for one minute', () => {
    clock = NOW;
    // Per-address counting alone (the per-user limit, which would also stop till-7 elsewhere, is off here).
    const d = createAuthDeps(testConfig({ auth: { maxFailuresPerUserPerMinute: 0 } }), () => clock);
    const bad = req({ headers: { authorization: basic('till-7', 'guess') }, address: '10.9.9.9' });
    const good = req({ headers: { authorization: basic('till-7', 's3cret-till-7') }, address: '10.9.9.9' });
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push(outcome(bad, 'strict', d));
    expect(codes.slice(0, 10).every((c) => c === 'GW_AUTH_FAILED')).toBe(true);
    expect(codes.slice(10)).toEqual<ErrorCode[]>(['GW_AUTH_RATE_LIMITED', 'GW_AUTH_RATE_LIMITED']);
    expect(outcome(good, 'strict', d)).toBe('GW_AUTH_RATE_LIMITED');
    expect(outcome({ ...good, socket: { remoteAddress: '10.9.9.10' } }, 'strict', d)).toBe('till-7/basic');
    clock = NOW + 60_001;
    expect(outcome(good, 'strict', d)).toBe('till-7/basic');
    clock = NOW;
  });
  it('keeps at most maxTrackedAddresses entries', () => {
    const small = testConfig({ auth: { maxTrackedAddresses: 50 } });
    const d = createAuthDeps(small, () => NOW);
    for (let i = 0; i < 1000; i++) {
      try {
        authenticate(req({ address: `10.1.${i >> 8}.${i & 255}`, headers: { authorization: basic('x', 'y') } }), 'strict', small, d);
      } catch {
        // expected: GW_AUTH_FAILED
      }
    }
    expect(d.failures.size).toBe(50);
  });
});
