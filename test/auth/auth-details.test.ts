// Issue 11 "authentication details": PasswordText needs Nonce and Created (so the replay cache applies), failures are
// counted per configured user name as well as per address, and JSON bodies get the XML depth limit and code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { authenticate, createAuthDeps, type AuthDeps, type AuthRequest } from '../../src/ingress/auth/authenticate.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { send } from '../xml/raw-http.js';
import { basic, NOW, testConfig, wsseHeader } from './auth-fixtures.js';

const config = testConfig();
const req = (o: Partial<AuthRequest> & { address?: string } = {}): AuthRequest => ({
  headers: o.headers ?? {},
  socket: { remoteAddress: o.address ?? '10.0.0.1' },
  soapHeader: o.soapHeader,
});
function outcome(r: AuthRequest, d: AuthDeps): string {
  try {
    const id = authenticate(r, 'strict', config, d);
    return `${id.name}/${id.method}`;
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
}

describe('WS-Security PasswordText', () => {
  it('needs a Nonce and a Created, like PasswordDigest', () => {
    const d = createAuthDeps(config, () => NOW);
    expect(outcome(req({ soapHeader: wsseHeader({ type: 'text', nonce: null }) }), d)).toBe('GW_AUTH_FAILED');
    expect(outcome(req({ soapHeader: wsseHeader({ type: 'text', created: null }) }), d)).toBe('GW_AUTH_FAILED');
    expect(outcome(req({ soapHeader: wsseHeader({ type: 'text', nonce: null, created: null }) }), d)).toBe('GW_AUTH_FAILED');
    expect(outcome(req({ soapHeader: wsseHeader({ type: 'text' }) }), d)).toBe('till-7/wsse');
  });

  it('a captured PasswordText token cannot be replayed (its nonce is remembered)', () => {
    const d = createAuthDeps(config, () => NOW);
    const token = wsseHeader({ type: 'text', nonce: 'cGFzc3dvcmQtdGV4dC1vbmNl' });
    expect(outcome(req({ soapHeader: token }), d)).toBe('till-7/wsse');
    expect(outcome(req({ soapHeader: token, address: '10.0.0.99' }), d)).toBe('GW_AUTH_FAILED');
  });
});

describe('failure counting per user name', () => {
  it('a guesser rotating addresses is stopped after maxFailuresPerUserPerMinute failures for that user', () => {
    let clock = NOW;
    const d = createAuthDeps(testConfig({ auth: { maxFailuresPerMinute: 3, maxFailuresPerUserPerMinute: 5 } }), () => clock);
    const codes: string[] = [];
    // Two guesses per address: the per-address limit (3) is never reached.
    for (let i = 0; i < 8; i++) codes.push(outcome(req({ headers: { authorization: basic('till-7', `guess-${i}`) }, address: `10.2.0.${i >> 1}` }), d));
    expect(codes.slice(0, 5).every((c) => c === 'GW_AUTH_FAILED')).toBe(true);
    expect(codes.slice(5)).toEqual(['GW_AUTH_RATE_LIMITED', 'GW_AUTH_RATE_LIMITED', 'GW_AUTH_RATE_LIMITED']);
    // The right password for that user from a fresh address is refused for the rest of the minute (WS-Security too)…
    expect(outcome(req({ headers: { authorization: basic('till-7', 's3cret-till-7') }, address: '10.3.0.1' }), d)).toBe('GW_AUTH_RATE_LIMITED');
    expect(outcome(req({ soapHeader: wsseHeader(), address: '10.3.0.2' }), d)).toBe('GW_AUTH_RATE_LIMITED');
    // …other users are not affected, and the lock ends with the window.
    expect(outcome(req({ soapHeader: wsseHeader({ user: 'till-8', password: 'другой-пароль' }), address: '10.3.0.3' }), d)).toBe('till-8/wsse');
    clock = NOW + 60_001;
    expect(outcome(req({ headers: { authorization: basic('till-7', 's3cret-till-7') }, address: '10.3.0.1' }), d)).toBe('till-7/basic');
  });

  it('unknown user names are not tracked (they can never succeed, and must not fill the table)', () => {
    const d = createAuthDeps(testConfig({ auth: { maxFailuresPerMinute: 0 } }), () => NOW);
    for (let i = 0; i < 200; i++) outcome(req({ headers: { authorization: basic(`ghost-${i}`, 'x') } }), d);
    expect(d.userFailures.size).toBe(0);
  });
});

describe('JSON depth limit (Terminal Agent endpoint, real gateway)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: { limits: { maxDepth: 8 } } });
  });
  afterAll(async () => {
    await gw.close();
  });
  const post = (body: string) =>
    send(`${gw.url}/api/transactions/init/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('refuses nesting beyond limits.maxDepth with the XML code, before anything is started', async () => {
    const deep = `{"amount":1,"currency":"USD","posData":${'{"a":'.repeat(10)}1${'}'.repeat(10)}}`;
    const r = await post(deep);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'GW_INGRESS_DEPTH_EXCEEDED' });
    const arrays = await post(`{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(JSON.parse(arrays.text)).toMatchObject({ code: 'GW_INGRESS_DEPTH_EXCEEDED' });
    expect((await gw.sim.control.stats()).initCalls).toBe(0);
  });

  it('brackets inside strings do not count', async () => {
    const r = await post(`{"amount":"x","note":"${'[{'.repeat(50)}"}`);
    expect(JSON.parse(r.text).code).not.toBe('GW_INGRESS_DEPTH_EXCEEDED');
  });
});
