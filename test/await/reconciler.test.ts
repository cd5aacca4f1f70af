// When SensePass cannot be reached at the deadline, the answer is UNKNOWN (never "not charged"), and the
// reconciler finishes the job once SensePass answers again: it cancels the still-pending payment and reports it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwaitResult } from '../../src/exchange/await/await-types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { expectNothingLeft, sleep, startHarness } from './harness.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('deadline with SensePass unavailable', () => {
  it('→ UNKNOWN; the reconciler later cancels and settles CANCELLED', async () => {
    const h = await startHarness('transaction', { requestTimeoutMs: 1_000 }, sim);
    try {
      const tx = await h.init();
      const settled: AwaitResult[] = [];
      const waiting = h.wait(tx, { deadlineAt: Date.now() + 500, onSettled: (r) => settled.push(r) });
      await sleep(200);
      await sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['GET /transactions/:n', 'POST /transactions/cancel/:n'] });
      const r = await waiting;
      expect(r).toMatchObject({ outcome: 'UNKNOWN', reason: 'deadline-unknown', cancelledByGateway: false });
      expect((await sim.control.transaction(tx.TransactionNumber)).entity.status).toBe(0); // nothing happened upstream
      expect(h.reconciler.stats().jobs).toBe(1);
      await sim.control.resetFaults();
      await expect.poll(() => settled.length, { timeout: 8_000 }).toBe(1);
      expect(settled[0]).toMatchObject({ outcome: 'CANCELLED', reason: 'final', cancelledByGateway: true });
      expect((await sim.control.transaction(tx.TransactionNumber)).entity.status).toBe(9);
      expect(h.reconciler.stats()).toEqual({ jobs: 0, timers: 0 });
      await expectNothingLeft(h);
    } finally {
      await sim.control.resetFaults();
      await h.close();
    }
  });
});
