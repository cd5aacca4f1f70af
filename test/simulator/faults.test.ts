// Each fault switch observably changes behaviour; DELETE /_sim/faults puts everything back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, init, listen, sleep, waitFor, type Listener } from './helpers.js';

let sim: RunningSimulator;
const listeners: Listener[] = [];
beforeEach(async () => {
  sim = await startSimulator({ approveAfterMs: 0, deterministic: true, seed: 'faults' });
});
afterEach(async () => {
  for (const l of listeners.splice(0)) l.close();
  await sim.close();
});

const get = (n: string) => call(sim, 'GET', `/transactions/${n}?deviceId=${DEMO_DEVICE_ID}`);

describe('simulator faults', () => {
  it('adds latency to the matching route only', async () => {
    const { TransactionNumber: n } = await init(sim);
    await sim.control.setFaults({ latencyMs: { 'GET /transactions/:n': 500 } });
    const slow = await get(n);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(490);
    const t0 = performance.now();
    await init(sim);
    expect(performance.now() - t0).toBeLessThan(350);
    await sim.control.resetFaults();
    expect((await get(n)).ms).toBeLessThan(350);
  });

  it('errorRate 1.0 answers 500 in the error shape; errorRoutes limits it', async () => {
    const { TransactionNumber: n } = await init(sim);
    await sim.control.setFaults({ errorRate: 1 });
    const r = await get(n);
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ success: false, code: 'SIM_INJECTED_FAULT', errorCode: 500 });
    await sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['POST /transactions/init'] });
    expect((await get(n)).status).toBe(200);
    expect((await call(sim, 'POST', '/transactions/init', { amount: 1, currency: 'USD', deviceId: DEMO_DEVICE_ID })).status).toBe(503);
    expect((await sim.control.stats()).transactions).toBe(1);
  });

  it('errorMode after processes the request but loses the answer', async () => {
    await sim.control.setFaults({ errorRate: 1, errorRoutes: ['POST /transactions/init'], errorMode: 'after' });
    const r = await call(sim, 'POST', '/transactions/init', { amount: 100, currency: 'USD', deviceId: DEMO_DEVICE_ID });
    expect(r.status).toBe(500);
    expect((await sim.control.stats()).transactions).toBe(1);
  });

  it('socket drop 1.0 delivers no event; duplicate delivers two; delay holds it back', async () => {
    const { TransactionNumber: n } = await init(sim);
    const l = await listen(sim, `tr_${n}`);
    listeners.push(l);
    await sim.control.setFaults({ socket: { drop: 1 } });
    await sim.control.tap(n);
    await sleep(150);
    expect(l.events).toHaveLength(0);
    await sim.control.setFaults({ socket: { duplicate: true } });
    await sim.control.userApprove(n);
    await waitFor(() => l.events.length === 2);
    await sleep(50);
    expect(l.events.map((e) => e.status)).toEqual([2, 2]);
    await sim.control.setFaults({ socket: { delayMs: 300 } });
    const t0 = Date.now();
    await sim.control.approve(n);
    await waitFor(() => l.events.length === 3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await sim.control.stats()).socketEventsDropped).toBe(1);
  });

  it('server disconnect: the client sees "io server disconnect"; counts follow', async () => {
    const { TransactionNumber: n } = await init(sim);
    const a = await listen(sim, `tr_${n}`);
    const b = await listen(sim, `id_${DEMO_DEVICE_ID}`);
    listeners.push(a, b);
    expect((await sim.control.stats()).sockets).toBe(2);
    expect(await sim.control.disconnectSockets(`tr_${n}`)).toBe(1);
    await waitFor(() => a.disconnectReasons.length === 1);
    expect(a.disconnectReasons).toEqual(['io server disconnect']);
    expect(b.disconnectReasons).toEqual([]);
    await waitFor(async () => (await sim.control.stats()).sockets === 1);
    expect(await sim.control.disconnectSockets()).toBe(1);
    await waitFor(() => b.disconnectReasons.length === 1);
  });

  it('refuses a malformed fault spec and keeps the old one', async () => {
    await sim.control.setFaults({ errorRate: 1, errorRoutes: ['GET /transactions/:n'] });
    await expect(sim.control.setFaults({ errorRate: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(sim.control.setFaults({ latencyMs: { 'nonsense': 5 } })).rejects.toMatchObject({ status: 400, body: { code: 'SIM_INVALID_INPUT' } });
    expect((await sim.control.getFaults()).errorRate).toBe(1);
  });
});
