// The SensePass client against the simulator over loopback: calls, failure codes, retry policy, secrecy.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSensePassClient } from '../../src/exchange/call/sensepass-client.js';
import { withRetries } from '../../src/exchange/call/with-retries.js';
import { commitPayment } from '../../src/exchange/await/commit-payment.js';
import { entityAmountMinor } from '../../src/exchange/call/parse-entity.js';
import { DEMO_API_KEY, DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const CREDS = { deviceId: DEMO_DEVICE_ID };
const silent = pino({ level: 'silent' });
const BODY = { amount: 1250, isCent: true, currency: 'USD', timeOut: 120 };
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await sim.control.resetFaults();
});

const client = (requestTimeoutMs = 5_000, logger = silent) => createSensePassClient({ restBaseUrl: sim.restBaseUrl, requestTimeoutMs, logger });
const retrying = (requestTimeoutMs = 5_000) => withRetries(client(requestTimeoutMs), { retries: 3, minTimeoutMs: 300, maxTimeoutMs: 600 });

describe('SensePass client', () => {
  it('init, status, amounts as minor units, with device or location-key credentials', async () => {
    const api = client();
    const tx = await api.init(BODY, CREDS);
    expect(tx.TransactionNumber).toMatch(/^[0-9a-f]{56}$/);
    expect(entityAmountMinor(tx.amount)).toBe(1250);
    const read = await api.getTransaction(tx.TransactionNumber, { apiKey: DEMO_API_KEY });
    expect(read.status).toBe(0);
    expect((await sim.control.transaction(tx.TransactionNumber)).initBody).toMatchObject({ deviceId: DEMO_DEVICE_ID, amount: 1250 });
  });

  it('unknown credentials → GW_UPSTREAM_AUTH; invalid input → GW_UPSTREAM_REJECTED with SensePass text', async () => {
    const api = client();
    await expect(api.init(BODY, { deviceId: 'x'.repeat(64) })).rejects.toMatchObject({ code: 'GW_UPSTREAM_AUTH' });
    const err = await api.init({ ...BODY, amount: 'twelve' }, CREDS).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GW_UPSTREAM_REJECTED' });
    expect((err as Error).message).toMatch(/amount/);
    expect((err as Error).message).not.toContain(DEMO_DEVICE_ID);
  });

  it('a slow answer → GW_UPSTREAM_TIMEOUT', async () => {
    const api = client(200);
    const tx = await api.init(BODY, CREDS);
    await sim.control.setFaults({ latencyMs: { 'GET /transactions/:n': 1_000 } });
    const started = Date.now();
    await expect(api.getTransaction(tx.TransactionNumber, CREDS)).rejects.toMatchObject({ code: 'GW_UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('the caller aborting is not an upstream failure', async () => {
    const api = client();
    const tx = await api.init(BODY, CREDS);
    await sim.control.setFaults({ latencyMs: { 'GET /transactions/:n': 1_000 } });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('pos left')), 100);
    await expect(api.getTransaction(tx.TransactionNumber, CREDS, { signal: ctl.signal })).rejects.toThrow('pos left');
  });

  it('5xx on init → GW_UPSTREAM_UNAVAILABLE and init is NOT retried, even through the retry wrapper', async () => {
    const api = retrying();
    const before = (await sim.control.stats()).initCalls;
    // "after": the payment is created, then the answer is lost — exactly when a blind retry would charge twice.
    await sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['POST /transactions/init'], errorMode: 'after' });
    await expect(api.init(BODY, CREDS)).rejects.toMatchObject({ code: 'GW_UPSTREAM_UNAVAILABLE' });
    expect((await sim.control.stats()).initCalls).toBe(before + 1);
  });

  it('getTransaction is retried on 5xx (and fails without the wrapper)', async () => {
    const tx = await client().init(BODY, CREDS);
    await sim.control.setFaults({ errorRate: 1, errorStatus: 502, errorRoutes: ['GET /transactions/:n'] });
    await expect(client().getTransaction(tx.TransactionNumber, CREDS)).rejects.toMatchObject({ code: 'GW_UPSTREAM_UNAVAILABLE' });
    const pending = retrying().getTransaction(tx.TransactionNumber, CREDS);
    setTimeout(() => void sim.control.resetFaults(), 150); // SensePass recovers before the first retry (≥ 300 ms)
    expect((await pending).TransactionNumber).toBe(tx.TransactionNumber);
  });

  it('a network failure → GW_UPSTREAM_UNAVAILABLE', async () => {
    const api = createSensePassClient({ restBaseUrl: 'http://127.0.0.1:1/api', requestTimeoutMs: 2_000, logger: silent });
    await expect(api.getTransaction('ab', CREDS)).rejects.toMatchObject({ code: 'GW_UPSTREAM_UNAVAILABLE' });
  });

  it('a 2xx answer that is not a Transaction Entity → GW_UPSTREAM_BAD_RESPONSE', async () => {
    const tx = await client().init(BODY, CREDS);
    // The control API answers { entity, committed, … } at the same relative path: a real wrong-shaped 200.
    const api = createSensePassClient({ restBaseUrl: `${sim.url}/_sim`, requestTimeoutMs: 2_000, logger: silent });
    await expect(api.getTransaction(tx.TransactionNumber, CREDS)).rejects.toMatchObject({ code: 'GW_UPSTREAM_BAD_RESPONSE' });
  });

  it('cancel: pending → cancelled (status 9); already final → too-late', async () => {
    const api = client();
    const a = await api.init(BODY, CREDS);
    expect(await api.cancel(a.TransactionNumber, CREDS)).toEqual({ kind: 'cancelled' });
    expect((await api.getTransaction(a.TransactionNumber, CREDS)).status).toBe(9);
    const b = await api.init(BODY, CREDS);
    await sim.control.approve(b.TransactionNumber);
    expect(await api.cancel(b.TransactionNumber, CREDS)).toEqual({ kind: 'too-late', status: 501 });
  });

  it('commitPayment commits an approved payment once, and never follows a link to another host', async () => {
    const api = client();
    const tx = await api.init(BODY, CREDS);
    await sim.control.approve(tx.TransactionNumber);
    const approved = await api.getTransaction(tx.TransactionNumber, CREDS);
    expect(await commitPayment(api, approved)).toBe('committed');
    expect((await sim.control.transaction(tx.TransactionNumber)).committed).toBe(true);
    const after = await api.getTransaction(tx.TransactionNumber, CREDS);
    expect(after.paymentCommit?.isPaymentCommitted).toBe(true);
    expect(await commitPayment(api, after)).toBe('not-needed');
    const pending = await api.init(BODY, CREDS);
    expect(await commitPayment(api, pending)).toBe('not-needed');
    const evil = { ...approved, paymentCommit: { commitLink: 'http://127.0.0.1:1/steal', isPaymentCommitted: false } };
    await expect(commitPayment(api, evil)).rejects.toMatchObject({ code: 'GW_UPSTREAM_BAD_RESPONSE' });
  });

  it('never logs credentials or card data, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const api = withRetries(client(150, pino({ level: 'trace' }, sink)), { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 10, logger: pino({ level: 'trace' }, sink) });
    const tx = await api.init(BODY, CREDS);
    await sim.control.approve(tx.TransactionNumber);
    await api.getTransaction(tx.TransactionNumber, CREDS);
    await sim.control.setFaults({ latencyMs: { '*': 400 } });
    await api.getTransaction(tx.TransactionNumber, CREDS).catch(() => undefined);
    await api.init({ ...BODY, deviceId: 'ignored' }, { deviceId: `${DEMO_DEVICE_ID}0` }).catch(() => undefined);
    await sim.control.resetFaults();
    // A device id inside the path (cancelByDeviceId/<id>) is logged masked too.
    await api.request({ method: 'POST', path: `/transactions/cancelByDeviceId/${DEMO_DEVICE_ID}` }, CREDS).catch(() => undefined);
    const text = lines.join('');
    expect(text).toContain('cancelByDeviceId/');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).not.toContain(DEMO_DEVICE_ID);
    expect(text).not.toContain('411111');
    expect(text).not.toMatch(/deviceId=/);
  });
});
