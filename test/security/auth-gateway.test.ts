// Client authentication acceptance through the REAL gateway over HTTPS with mTLS turned on: accepted clients pay;
// every kind of failure gives the same GW_AUTH_FAILED fault (nothing tells which part was wrong) and creates no
// payment; repeated failures from one address give GW_AUTH_RATE_LIMITED there, and only there.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { acmeEnvelope } from '../support/gateway.js';
import { answerOf, basicHeader, usernameToken, withHeader, type Answer, type TokenSpec } from './secure-client.js';
import { makeTestCerts, type KeyPair, type TestCerts } from './test-certs.js';
import { startTlsGateway, type TlsGateway } from './tls-gateway.js';

const TILL7 = { user: 'till7', password: 's3cret-pass' };
const TILL8 = { user: 'till8', password: 'other-pass-8' };
const MAX_FAILURES = 4;

let certs: TestCerts;
let gw: TlsGateway;
let till7Cert: KeyPair;
let till8Cert: KeyPair;
beforeAll(async () => {
  certs = makeTestCerts();
  till7Cert = certs.client('till7');
  till8Cert = certs.client('till8');
  gw = await startTlsGateway({
    server: { tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca } },
    // Per-address limiting is what this file shows; the per-user limit (test/auth/auth-details.test.ts) is off here.
    auth: { maxFailuresPerMinute: MAX_FAILURES, maxFailuresPerUserPerMinute: 0, timestampWindowSeconds: 300 },
    endpoints: { 'acme-pos': { auth: ['basic', 'wsse', 'mtls'] } },
    clients: {
      [TILL7.user]: { password: TILL7.password, certificate: { subjectCN: 'till7' }, sensepass: { deviceId: DEMO_DEVICE_ID } },
      [TILL8.user]: { password: TILL8.password, certificate: { subjectCN: 'till8' }, sensepass: { deviceId: DEMO_DEVICE_ID } },
    },
  });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 0 }]);
}, 60_000);
afterAll(async () => {
  await gw?.close();
  certs?.remove();
});

interface Send {
  /** Source address: the failure limiter counts per address, so each scenario gets its own loopback address. */
  readonly from: string;
  readonly receipt: string;
  readonly token?: TokenSpec;
  readonly authorization?: string;
  readonly cert?: KeyPair;
}

function sendSale(s: Send): Promise<Answer> {
  let xml = acmeEnvelope('Sale', { TerminalId: 'T7', ReceiptNo: s.receipt, Amount: '4.20', Currency: 'USD' });
  if (s.token !== undefined) xml = withHeader(xml, usernameToken(s.token).xml);
  return post(xml, s);
}

function post(xml: string, s: Send): Promise<Answer> {
  const headers: Record<string, string | number> = {
    'content-type': 'text/xml; charset=utf-8',
    soapaction: '"http://acme-pos.example.com/payments/2009/Sale"',
    'content-length': Buffer.byteLength(xml),
  };
  if (s.authorization !== undefined) headers.authorization = s.authorization;
  return new Promise((resolve, reject) => {
    const req = https.request(
      gw.soapUrl,
      { method: 'POST', headers, ca: certs.ca, localAddress: s.from, agent: false, ...(s.cert === undefined ? {} : { cert: s.cert.cert, key: s.cert.key }) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(answerOf(res.statusCode ?? 0, text)));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(xml);
  });
}

const payments = async () => (await gw.sim.control.stats()).transactions;
/** The fault without its per-request id: what a client could compare across attempts. */
const faultShape = (a: Answer) => `${a.status} ${a.text.replace(/<gw:requestId>[^<]*<\/gw:requestId>/, '')}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('accepted clients pay through the real gateway', () => {
  // Functions: the certificates only exist once beforeAll has run.
  const accepted: [string, () => Send][] = [
    ['WS-Security PasswordDigest', () => ({ from: '127.0.0.11', receipt: 'OK-1', token: { ...TILL7, type: 'digest' } })],
    ['WS-Security PasswordText', () => ({ from: '127.0.0.12', receipt: 'OK-2', token: { ...TILL7, type: 'text', mustUnderstand: true } })],
    ['HTTP Basic', () => ({ from: '127.0.0.13', receipt: 'OK-3', authorization: basicHeader(TILL7.user, TILL7.password) })],
    ['client certificate (mTLS)', () => ({ from: '127.0.0.14', receipt: 'OK-4', cert: till7Cert })],
    ['certificate and WS-Security naming the same client', () => ({ from: '127.0.0.15', receipt: 'OK-5', cert: till8Cert, token: { ...TILL8 } })],
  ];
  it.each(accepted)('%s', async (_name, send) => {
    const before = await payments();
    const r = await sendSale(send());
    expect(r.faultCode).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.fields.Result).toBe('APPROVED');
    expect(await payments()).toBe(before + 1);
  });
});

describe('every failure looks the same', () => {
  const shapes = new Map<string, string>();
  const rogue = () => certs.rogue('till7');
  const failures: [string, string, () => Promise<Answer>][] = [
    ['wrong password (WS-Security digest)', '127.0.0.21', () => sendSale({ from: '127.0.0.21', receipt: 'F-1', token: { ...TILL7, password: 'wrong' } })],
    ['wrong password (WS-Security text)', '127.0.0.22', () => sendSale({ from: '127.0.0.22', receipt: 'F-2', token: { ...TILL7, password: 'wrong', type: 'text' } })],
    ['wrong password (Basic)', '127.0.0.23', () => sendSale({ from: '127.0.0.23', receipt: 'F-3', authorization: basicHeader(TILL7.user, 'wrong') })],
    ['unknown user', '127.0.0.24', () => sendSale({ from: '127.0.0.24', receipt: 'F-4', token: { user: 'nobody', password: TILL7.password } })],
    ['stale Created (10 minutes old)', '127.0.0.25', () => sendSale({ from: '127.0.0.25', receipt: 'F-5', token: { ...TILL7, created: minutesAgo(10) } })],
    ['Created in the future', '127.0.0.26', () => sendSale({ from: '127.0.0.26', receipt: 'F-6', token: { ...TILL7, created: minutesAgo(-10) } })],
    ['missing credentials', '127.0.0.27', () => sendSale({ from: '127.0.0.27', receipt: 'F-7' })],
    ['malformed Basic header', '127.0.0.28', () => sendSale({ from: '127.0.0.28', receipt: 'F-8', authorization: 'Basic %%%not-base64' })],
    ['self-signed certificate with a trusted CN', '127.0.0.29', () => sendSale({ from: '127.0.0.29', receipt: 'F-9', cert: rogue() })],
    ['trusted certificate of no configured client', '127.0.0.30', () => sendSale({ from: '127.0.0.30', receipt: 'F-10', cert: certs.client('till99') })],
    ['certificate and password of different clients', '127.0.0.31', () =>
      sendSale({ from: '127.0.0.31', receipt: 'F-11', cert: till7Cert, authorization: basicHeader(TILL8.user, TILL8.password) })],
    ['right certificate, wrong password', '127.0.0.32', () => sendSale({ from: '127.0.0.32', receipt: 'F-12', cert: till7Cert, token: { ...TILL7, password: 'wrong' } })],
  ];

  it.each(failures)('%s → GW_AUTH_FAILED, no payment', async (name, _from, attempt) => {
    const before = await payments();
    const r = await attempt();
    expect(r.faultCode).toBe('GW_AUTH_FAILED');
    expect(r.faultString).toBe('Authentication failed');
    expect(await payments()).toBe(before);
    shapes.set(name, faultShape(r));
  });

  it('replayed nonce: the first use pays, the replay fails', async () => {
    const nonce = Buffer.from('replayed-nonce-0001').toString('base64');
    const created = new Date().toISOString();
    const first = await sendSale({ from: '127.0.0.33', receipt: 'RP-1', token: { ...TILL7, nonce, created } });
    expect(first.fields.Result).toBe('APPROVED');
    const before = await payments();
    // A different receipt, so only the nonce is replayed (an identical request would be an idempotent repeat anyway).
    const replay = await sendSale({ from: '127.0.0.33', receipt: 'RP-2', token: { ...TILL7, nonce, created } });
    expect(replay.faultCode).toBe('GW_AUTH_FAILED');
    expect(await payments()).toBe(before);
    shapes.set('replayed nonce', faultShape(replay));
  });

  it('the fault is byte for byte the same for every kind of failure (request id aside)', () => {
    expect(shapes.size).toBe(failures.length + 1);
    const distinct = new Set(shapes.values());
    expect([...distinct]).toHaveLength(1);
    const only = [...distinct][0] ?? '';
    expect(only).toMatch(/^500 /);
    expect(only).not.toMatch(/password|nonce|created|certificate|user|digest|replay|window/i);
  });
});

describe('rate limiting per client address', () => {
  it(`after ${MAX_FAILURES} failures the address gets GW_AUTH_RATE_LIMITED, even with right credentials; other addresses do not`, async () => {
    const from = '127.0.0.41';
    for (let i = 0; i < MAX_FAILURES; i++) {
      const r = await sendSale({ from, receipt: `RL-${i}`, authorization: basicHeader(TILL7.user, `wrong-${i}`) });
      expect(r.faultCode).toBe('GW_AUTH_FAILED');
    }
    const before = await payments();
    const limited = await sendSale({ from, receipt: 'RL-ok', token: { ...TILL7 } });
    expect(limited.faultCode).toBe('GW_AUTH_RATE_LIMITED');
    const limitedCert = await sendSale({ from, receipt: 'RL-ok-cert', cert: till7Cert });
    expect(limitedCert.faultCode).toBe('GW_AUTH_RATE_LIMITED');
    expect(await payments()).toBe(before);
    const elsewhere = await sendSale({ from: '127.0.0.42', receipt: 'RL-elsewhere', token: { ...TILL7 } });
    expect(elsewhere.fields.Result).toBe('APPROVED');
  });
});
