// Client-side connection loss mid-wait (network cut between gateway and SensePass): the client reconnects by
// itself and the reconnect re-read finds the outcome that was emitted while it was away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { expectNothingLeft, sleep, startHarness, type Mode } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

let sim: RunningSimulator;
let proxy: TcpProxy;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  proxy = await startTcpProxy(sim.url);
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});

describe.each<Mode>(['transaction', 'device'])('network drop (%s mode)', (mode) => {
  it('connection cut mid-wait, outcome emitted while disconnected → right outcome long before the deadline', async () => {
    const h = await startHarness(mode, { socketUrl: proxy.url }, sim);
    try {
      const tx = await h.init();
      const waiting = h.wait(tx);
      await sleep(200);
      expect(proxy.dropAll()).toBeGreaterThan(0);
      await sim.control.decline(tx.TransactionNumber);
      const started = Date.now();
      const r = await waiting;
      expect(r).toMatchObject({ outcome: 'DECLINED', reason: 'final' });
      expect(Date.now() - started).toBeLessThan(6_000);
      await expectNothingLeft(h);
    } finally {
      await h.close();
    }
  });
});
