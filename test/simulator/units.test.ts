// Small pure parts of the simulator: money conversion, seeded ids, the status machine, clean close().
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startSimulator } from '../../src/simulator/index.js';
import { centsToFixed2, centsToMajor, majorNumberToCents } from '../../src/simulator/money.js';
import { canTransition, isFinal } from '../../src/simulator/status.js';
import { init, listen, sleep } from './helpers.js';

describe('simulator money', () => {
  it('renders cents as trimmed major-unit strings', () => {
    expect([0, 1, 10, 100, 200, 1234, 1230, 123456789].map(centsToMajor)).toEqual(['0', '0.01', '0.1', '1', '2', '12.34', '12.3', '1234567.89']);
    expect(centsToFixed2(5)).toBe('0.05');
  });
  it('round-trips cents → major string → cents exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (c) => majorNumberToCents(Number(centsToMajor(c))) === c));
  });
  it('refuses more than two decimals', () => {
    expect(majorNumberToCents(1.005)).toBeUndefined();
    expect(majorNumberToCents(0.1 + 0.2)).toBeUndefined();
  });
});

describe('simulator status machine', () => {
  it('keeps 3 open, finals closed, and refunds only after approval', () => {
    expect(canTransition(3, 5)).toBe(true);
    expect(canTransition(9, 5)).toBe(false);
    expect(canTransition(4, 9)).toBe(false);
    expect(canTransition(0, 11)).toBe(false);
    expect(canTransition(5, 12)).toBe(true);
    expect([5, 6, 7, 8, 9, 11, 13].every(isFinal)).toBe(true);
    expect([0, 1, 2, 3, 4, 10, 12].some(isFinal)).toBe(false);
  });
});

describe('simulator determinism and close', () => {
  it('the same seed gives the same ids', async () => {
    const numbers: string[] = [];
    for (const seed of ['a', 'a', 'b']) {
      const sim = await startSimulator({ deterministic: true, seed, approveAfterMs: 0 });
      numbers.push((await init(sim)).TransactionNumber);
      await sim.close();
    }
    expect(numbers[0]).toBe(numbers[1]);
    expect(numbers[2]).not.toBe(numbers[0]);
  });

  it('close() ends sockets and timers; nothing fires afterwards', async () => {
    // An approval (150 ms) and an expiry (1 s) are scheduled; on a loaded machine the approval may legitimately
    // happen before close(), so the assertion is about what arrives after it.
    const sim = await startSimulator({ approveAfterMs: 150 });
    const e = await init(sim, { timeOut: 1 });
    const l = await listen(sim, `tr_${e.TransactionNumber}`);
    await sim.close();
    const atClose = l.events.length;
    await sim.close();
    await sleep(1_300);
    expect(l.events.length).toBe(atClose);
    expect(l.disconnectReasons.length).toBe(1);
    l.close();
    await expect(fetch(`${sim.url}/_sim/stats`)).rejects.toThrow();
  });
});
