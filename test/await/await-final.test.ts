// awaitFinal over real loopback against the simulator, in both socket modes: outcomes, races, disconnects.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { CREDS, expectNothingLeft, sleep, startHarness, type Harness, type Mode } from './harness.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe.each<Mode>(['transaction', 'device'])('awaitFinal (%s mode)', (mode) => {
  let h: Harness;
  afterEach(async () => {
    await sim.control.resetFaults();
    await expectNothingLeft(h);
    await h.close();
  });

  const consumerCases = [
    ['approve', 'APPROVED', 5],
    ['decline', 'DECLINED', 6],
    ['fail', 'FAILED', 7],
    ['expire', 'TIMED_OUT', 8],
  ] as const;
  it.each(consumerCases)('consumer %s → %s', async (action, outcome, status) => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    const started = Date.now();
    const waiting = h.wait(tx);
    await sleep(150);
    await sim.control.act(tx.TransactionNumber, action);
    const r = await waiting;
    expect(r).toMatchObject({ outcome, reason: 'final', cancelledByGateway: false });
    expect(r.transaction?.status).toBe(status);
    expect(Date.now() - started).toBeLessThan(5_000); // by notification, not by the 20 s deadline
    if (outcome === 'APPROVED') expect(r.transaction?.confirmations?.length).toBeGreaterThan(0);
  });

  it('a cancel by someone else → CANCELLED, not cancelled by the gateway', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    const waiting = h.wait(tx);
    await sleep(150);
    expect(await h.api.cancel(tx.TransactionNumber, CREDS)).toEqual({ kind: 'cancelled' });
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'CANCELLED', reason: 'final', cancelledByGateway: false });
  });

  it('status changed before the subscription existed → no hang', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    await sim.control.approve(tx.TransactionNumber); // before awaitFinal subscribes; tx still says status 0
    const started = Date.now();
    const r = await h.wait(tx);
    expect(r.outcome).toBe('APPROVED');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a dropped socket event → still right, from the deadline re-read', async () => {
    h = await startHarness(mode, {}, sim);
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init();
    const waiting = h.wait(tx, { deadlineAt: Date.now() + 1_500 });
    await sleep(300);
    await sim.control.decline(tx.TransactionNumber);
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'DECLINED', reason: 'final' });
    expect((await sim.control.stats()).socketEventsDropped).toBeGreaterThan(0);
    expect((await sim.control.transaction(tx.TransactionNumber)).cancelCalls).toBe(0);
  });

  it('server-initiated disconnect mid-wait: reconnects and re-reads', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    const waiting = h.wait(tx);
    await sleep(200);
    expect(await sim.control.disconnectSockets()).toBeGreaterThan(0);
    await sim.control.approve(tx.TransactionNumber); // emitted while the client is disconnected: lost
    const started = Date.now();
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'APPROVED', reason: 'final' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a dropped event plus a reconnect → the reconnect re-read finds the outcome before the deadline', async () => {
    h = await startHarness(mode, {}, sim);
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init();
    const waiting = h.wait(tx);
    await sleep(200);
    await sim.control.fail(tx.TransactionNumber);
    await sleep(100);
    await sim.control.disconnectSockets();
    const started = Date.now();
    expect(await waiting).toMatchObject({ outcome: 'FAILED', reason: 'final' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('deadline with the payment pending → cancelled → CANCELLED, simulator shows status 9', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    const r = await h.wait(tx, { deadlineAt: Date.now() + 600 });
    expect(r).toMatchObject({ outcome: 'CANCELLED', reason: 'deadline-cancelled', cancelledByGateway: true });
    const info = await sim.control.transaction(tx.TransactionNumber);
    expect(info.entity.status).toBe(9);
    expect(info.cancelCalls).toBe(1);
  });

  it('deadline, cancel too late (payment processing), then approved → APPROVED', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    await sim.control.processing(tx.TransactionNumber);
    const deadlineAt = Date.now() + 500;
    const waiting = h.wait(tx, { deadlineAt });
    await sleep(900); // past the deadline: cancel has been refused with 501
    await sim.control.approve(tx.TransactionNumber);
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'APPROVED', reason: 'final', cancelledByGateway: false });
    const info = await sim.control.transaction(tx.TransactionNumber);
    expect(info.cancelCalls).toBe(1);
    expect(info.entity.status).toBe(5);
  });

  it("deadline with onDeadline 'none' and nothing final → UNKNOWN, then the reconciler settles it", async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    let settled: unknown;
    const r = await h.wait(tx, { deadlineAt: Date.now() + 300, onDeadline: 'none', onSettled: (s) => (settled = s) });
    expect(r).toMatchObject({ outcome: 'UNKNOWN', reason: 'deadline-unknown' });
    expect(h.reconciler.stats().jobs).toBe(1);
    await sim.control.approve(tx.TransactionNumber);
    await expect.poll(() => settled, { timeout: 5_000 }).toMatchObject({ outcome: 'APPROVED', reason: 'final' });
    expect(h.reconciler.stats()).toEqual({ jobs: 0, timers: 0 });
  });

  it('POS disconnect (signal aborted) mid-wait → the transaction is cancelled', async () => {
    h = await startHarness(mode, {}, sim);
    const tx = await h.init();
    const pos = new AbortController();
    const waiting = h.wait(tx, { signal: pos.signal });
    await sleep(200);
    pos.abort();
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'CANCELLED', reason: 'client-aborted', cancelledByGateway: true });
    const info = await sim.control.transaction(tx.TransactionNumber);
    expect(info.entity.status).toBe(9);
    expect(info.cancelCalls).toBe(1);
  });

  it('POS disconnect after approval → APPROVED with reason client-aborted (so the exchange never commits)', async () => {
    h = await startHarness(mode, {}, sim);
    await sim.control.setFaults({ socket: { drop: 1 } });
    const tx = await h.init();
    const pos = new AbortController();
    const waiting = h.wait(tx, { signal: pos.signal });
    await sleep(200);
    await sim.control.approve(tx.TransactionNumber);
    pos.abort();
    const r = await waiting;
    expect(r).toMatchObject({ outcome: 'APPROVED', reason: 'client-aborted', cancelledByGateway: false });
    expect((await sim.control.transaction(tx.TransactionNumber)).committed).toBe(false);
  });
});
