// The watcher's connection bookkeeping: device connections opened before init, shared, closed after idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { eventually, expectNothingLeft, sleep, startHarness } from './harness.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('status watcher', () => {
  it('device mode: one connection opened before init, shared by payments, closed after the idle time', async () => {
    const h = await startHarness('device', { idleMs: 400 }, sim);
    try {
      await h.watcher.ensureDevice(DEMO_DEVICE_ID);
      expect(h.watcher.stats()).toMatchObject({ sockets: 1, watches: 0 });
      expect((await sim.control.stats()).sockets).toBe(1);
      const a = await h.init();
      const b = await h.init();
      const waits = [h.wait(a), h.wait(b)];
      expect(h.watcher.stats()).toMatchObject({ sockets: 1, watches: 2 });
      await sleep(100);
      await sim.control.approve(a.TransactionNumber);
      await sim.control.decline(b.TransactionNumber);
      expect((await Promise.all(waits)).map((r) => r.outcome)).toEqual(['APPROVED', 'DECLINED']);
      expect(h.watcher.stats()).toMatchObject({ sockets: 1, watches: 0, timers: 1 }); // idle timer armed
      await sleep(150);
      expect(h.watcher.stats().sockets).toBe(1); // still within the idle time
      await eventually(() => h.watcher.stats().sockets === 0, 2_000);
      await expectNothingLeft(h);
    } finally {
      await h.close();
    }
  });

  it('device mode: an ensureDevice with no payment after it still closes after the idle time', async () => {
    const h = await startHarness('device', { idleMs: 100 }, sim);
    try {
      await h.watcher.ensureDevice(DEMO_DEVICE_ID);
      expect(h.watcher.stats().sockets).toBe(1);
      await expectNothingLeft(h);
    } finally {
      await h.close();
    }
  });

  it('transaction mode: one connection per payment, closed with its wait; close() releases everything', async () => {
    const h = await startHarness('transaction', {}, sim);
    const a = await h.init();
    const b = await h.init();
    const waits = [h.wait(a, { deadlineAt: Date.now() + 60_000 }), h.wait(b, { deadlineAt: Date.now() + 60_000 })];
    await eventually(async () => (await sim.control.stats()).sockets === 2);
    expect(h.watcher.stats()).toMatchObject({ sockets: 2, watches: 2 });
    await sim.control.approve(a.TransactionNumber);
    expect((await waits[0])?.outcome).toBe('APPROVED');
    expect(h.watcher.stats()).toMatchObject({ sockets: 1, watches: 1 });
    await sim.control.fail(b.TransactionNumber);
    expect((await waits[1])?.outcome).toBe('FAILED');
    await expectNothingLeft(h);
    await h.close();
    expect(h.watcher.stats()).toEqual({ sockets: 0, watches: 0, timers: 0 });
  });
});
