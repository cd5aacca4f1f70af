// Callbacks as a third notification source: the simulator calls a real Express server on loopback with HMAC
// headers; verified callbacks wake the waits, forged ones are refused, and REST stays the truth.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { createCallbackRouter } from '../../src/exchange/await/callback-router.js';
import { buildCallbackUrl, callbackInitFields } from '../../src/exchange/await/callback-url.js';
import { DEMO_HMAC_SECRET } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { expectNothingLeft, silent, sleep, startHarness, type Harness } from './harness.js';

const PATH = '/sensepass/callback';
let sim: RunningSimulator;
let server: Server;
let callbackUrl: string;
let h: Harness;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0, hmacSecret: DEMO_HMAC_SECRET });
  h = await startHarness('transaction', {}, sim);
  const app = express();
  app.use(createCallbackRouter({ path: PATH, hmacSecret: DEMO_HMAC_SECRET, watcher: h.watcher, logger: silent }));
  // Stand-in for egress: renders the catalogue error.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(isGatewayError(err) ? err.status : 500).json({ code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  callbackUrl = buildCallbackUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, PATH);
});
afterAll(async () => {
  await h.close();
  await new Promise((r) => server.close(r));
  await sim.close();
});
afterEach(async () => {
  await sim.control.resetFaults();
  await expectNothingLeft(h);
});

const post = (body: string, headers: Record<string, string>) =>
  fetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const sign = (key: string, body: string) => createHmac('sha256', DEMO_HMAC_SECRET).update(key + body).digest('hex');

describe('callbacks', () => {
  it('builds the callbackURL only when callbacks are on', () => {
    expect(buildCallbackUrl('https://gw.example.com/', '/sensepass/callback')).toBe('https://gw.example.com/sensepass/callback');
    const on = { sensepass: { callbacks: true, callbackPath: PATH }, server: { publicUrl: 'https://gw.example.com' } };
    expect(callbackInitFields(on as never)).toEqual({ callbackURL: 'https://gw.example.com/sensepass/callback' });
    expect(callbackInitFields({ ...on, sensepass: { callbacks: false, callbackPath: PATH } } as never)).toEqual({});
  });

  it('POST callback with the entity wakes the wait when socket events are lost', async () => {
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init(1250, { callbackURL: callbackUrl });
    const waiting = h.wait(tx);
    await sleep(200);
    await sim.control.approve(tx.TransactionNumber);
    const started = Date.now();
    expect(await waiting).toMatchObject({ outcome: 'APPROVED', reason: 'final' });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect.poll(async () => (await sim.control.stats()).callbacksSent).toBeGreaterThan(0);
  });

  it('GET callback (?TransactionNumber=) triggers the status read', async () => {
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init(1250, { callbackURL: callbackUrl, callbackMethod: 'GET' });
    const waiting = h.wait(tx);
    await sleep(200);
    await sim.control.decline(tx.TransactionNumber);
    const started = Date.now();
    expect(await waiting).toMatchObject({ outcome: 'DECLINED', reason: 'final' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a forged callback is refused with GW_CALLBACK_SIGNATURE; a signed one is still checked against REST', async () => {
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init();
    const waiting = h.wait(tx, { deadlineAt: Date.now() + 1_200 });
    await sleep(200);
    const body = JSON.stringify({ ...tx, status: 5 });
    const forged = await post(body, { 'HMAC-Random-Key': 'k1', 'HMAC-Authorization': sign('k1', body.replace('5', '6')) });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ code: 'GW_CALLBACK_SIGNATURE' });
    expect((await post(body, {})).status).toBe(401);
    // Correctly signed but untrue: the confirming read shows the payment pending, so no approval.
    expect((await post(body, { 'HMAC-Random-Key': 'k2', 'HMAC-Authorization': sign('k2', body) })).status).toBe(204);
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'CANCELLED', reason: 'deadline-cancelled' });
    expect((await sim.control.transaction(tx.TransactionNumber)).entity.status).toBe(9);
  });
});
