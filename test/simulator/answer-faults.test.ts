// Fault switches that act after processing: the payment exists, but its answer is destroyed or comes late.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { SimulatorControlError } from '../../src/simulator/control-client.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, init } from './helpers.js';

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ approveAfterMs: 0, deterministic: true, seed: 'answer-faults' });
});
afterEach(async () => {
  await sim.close();
});

const dev = { deviceId: DEMO_DEVICE_ID };
const INIT = { amount: 1250, isCent: true, currency: 'USD', ...dev, posData: { gatewayKey: 'gk-1' } };
const CARD = { creditCardDetails: { cardNumber: '5555555555554444', securityCode: '123', cardExpiration: '12/30' } };

/** A raw call that reports a destroyed connection instead of throwing. */
async function attempt(path: string, body: unknown): Promise<{ status: number | 'connection lost'; ms: number; body?: Record<string, unknown> }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${sim.restBaseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, ms: performance.now() - t0, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { status: 'connection lost', ms: performance.now() - t0 };
  }
}

describe('answer faults (after processing)', () => {
  it('drop on POST /transactions/init: the caller gets no answer, the payment exists and can be found by posData', async () => {
    await sim.control.setAnswerFaults({ 'POST /transactions/init': { then: 'drop' } });
    const lost = await attempt('/transactions/init', INIT);
    expect(lost.status).toBe('connection lost');
    const all = await sim.control.transactions();
    expect(all).toHaveLength(1);
    const info = await sim.control.transaction(all[0]!.TransactionNumber);
    expect(info.entity.posData).toEqual({ gatewayKey: 'gk-1' });
    expect(await sim.control.getFaults()).toMatchObject({ answersDropped: 1, answersDelayed: 0 });
    // Other routes answer as usual; the payment goes on living (the consumer approves it).
    const read = await call(sim, 'GET', `/transactions/${all[0]!.TransactionNumber}?deviceId=${DEMO_DEVICE_ID}`);
    expect(read.status).toBe(200);
    expect((await sim.control.approve(all[0]!.TransactionNumber)).status).toBe(5);
  });

  it('delay on POST /transactions/init: created at once, answered after delayMs', async () => {
    await sim.control.setAnswerFaults({ 'POST /transactions/init': { then: 'delay', delayMs: 600 } });
    const pending = attempt('/transactions/init', INIT);
    await new Promise((r) => setTimeout(r, 150));
    expect((await sim.control.stats()).transactions).toBe(1); // processed before the answer
    const late = await pending;
    expect(late.status).toBe(200);
    expect(late.ms).toBeGreaterThanOrEqual(580);
    expect(late.body?.TransactionNumber).toBe((await sim.control.transactions())[0]!.TransactionNumber);
    expect(await sim.control.getFaults()).toMatchObject({ answersDelayed: 1 });
  });

  it('drop on POST /transactions/pay: the card was charged, the answer is lost', async () => {
    await sim.control.setAnswerFaults({ 'POST /transactions/pay': { then: 'drop' } });
    expect((await attempt('/transactions/pay', { ...dev, ...CARD, amount: 700, currency: 'USD' })).status).toBe('connection lost');
    expect((await sim.control.stats()).byStatus).toMatchObject({ '5': 1 });
    expect((await sim.control.stats()).transactions).toBe(1);
  });

  it('delay on POST /transactions/refund: refunded at once, answered late', async () => {
    const { TransactionNumber: n } = await init(sim);
    await sim.control.approve(n);
    await sim.control.setAnswerFaults({ 'POST /transactions/refund': { then: 'delay', delayMs: 400 } });
    const pending = attempt('/transactions/refund', { ...dev, transactionNumber: n });
    await new Promise((r) => setTimeout(r, 100));
    expect((await sim.control.transaction(n)).entity.status).toBe(11);
    const late = await pending;
    expect(late).toMatchObject({ status: 200, body: { result: 'Approved' } });
    expect(late.ms).toBeGreaterThanOrEqual(380);
  });

  it('errors pass through (nothing processed, nothing to lose); rate 0 never fires; other routes are untouched', async () => {
    await sim.control.setAnswerFaults({ 'POST /transactions/init': { then: 'drop' } });
    expect((await attempt('/transactions/init', { ...INIT, currency: 'XXX' })).status).toBe(400);
    await sim.control.setAnswerFaults({ 'POST /transactions/init': { then: 'drop', rate: 0 } });
    expect((await attempt('/transactions/init', INIT)).status).toBe(200);
    await sim.control.setAnswerFaults({ 'POST /transactions/pay': { then: 'drop' } });
    expect((await attempt('/transactions/init', INIT)).status).toBe(200);
    await sim.control.setAnswerFaults({});
    expect((await sim.control.getFaults()).answers).toEqual({});
  });

  it('keeps the other switches when only the answer faults change; refuses a delay without delayMs', async () => {
    await sim.control.setFaults({ latencyMs: { '*': 5 }, callbacks: { failNext: 2 } });
    await sim.control.setAnswerFaults({ 'POST /transactions/init': { then: 'drop' } });
    expect(await sim.control.getFaults()).toMatchObject({ latencyMs: { '*': 5 }, callbacksFailNextLeft: 2, answers: { 'POST /transactions/init': { then: 'drop' } } });
    const bad = await sim.control.setFaults({ answers: { 'POST /transactions/init': { then: 'delay' } as never } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SimulatorControlError);
    expect((bad as SimulatorControlError).status).toBe(400);
    await sim.control.resetFaults();
    expect(await sim.control.getFaults()).toEqual({ callbacksFailNextLeft: 0, answersDropped: 0, answersDelayed: 0 });
  });
});
