// 1,000 concurrent waits complete with the right outcomes and leave no socket, watch or timer behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import type { AwaitResult } from '../../src/exchange/await/await-types.js';
import { eventually, expectNothingLeft, startHarness, type Mode } from './harness.js';

const N = 1_000;
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe.each<Mode>(['transaction', 'device'])('%s mode', (mode) => {
  it(`${N} concurrent waits: right outcomes (approve ≤ 500.00, decline above, once all wait), nothing left afterwards`, { timeout: 120_000 }, async () => {
    // Generous call timeout: two cores shared with other test files must not turn into a false failure.
    const h = await startHarness(mode, { requestTimeoutMs: 30_000 }, sim);
    try {
      // Payments are held until every wait exists, so the overlap does not depend on machine speed.
      await sim.control.setRules([{ then: 'none' }]);
      const amounts = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 90_000 + i : 1_000 + i));
      const results: Promise<AwaitResult>[] = [];
      const txs: Awaited<ReturnType<typeof h.init>>[] = [];
      // Inits in batches (a POS fleet does not fire 1,000 at the same microsecond); each wait starts right after its init.
      for (let i = 0; i < N; i += 100) {
        const batch = await Promise.all(amounts.slice(i, i + 100).map((a) => h.init(a)));
        for (const tx of batch) {
          txs.push(tx);
          results.push(h.wait(tx, { deadlineAt: Date.now() + 120_000 }));
        }
      }
      await eventually(() => h.watcher.stats().watches === N, 30_000);
      const peak = h.watcher.stats();
      expect(peak.watches).toBe(N); // they really overlap
      if (mode === 'transaction') expect(peak.sockets).toBe(N);
      else expect(peak.sockets).toBe(1);
      // The consumer acts on every payment at once: approve ≤ 500.00, decline above.
      for (let i = 0; i < N; i += 100) {
        await Promise.all(txs.slice(i, i + 100).map((tx, j) => (amounts[i + j]! <= 50_000 ? sim.control.approve(tx.TransactionNumber) : sim.control.decline(tx.TransactionNumber))));
      }
      const done = await Promise.all(results);
      const wrong = done.filter((r, i) => r.outcome !== (amounts[i]! <= 50_000 ? 'APPROVED' : 'DECLINED'));
      expect(wrong).toEqual([]);
      expect(done.every((r) => r.reason === 'final' && r.transaction !== undefined)).toBe(true);
      await expectNothingLeft(h);
      expect(h.watcher.stats()).toEqual({ sockets: 0, watches: 0, timers: 0 });
      expect((await sim.control.stats()).sockets).toBe(0);
    } finally {
      await sim.control.setRules([{ then: 'none' }]);
      await h.close();
    }
  });
});
