// Issue 5, graceful stop of a real process: SIGTERM with payments in flight. Each POS gets its reply (waits that end
// in the grace period normally, the rest through the deadline ladder), approvals are committed, and afterwards
// neither the journal file nor SensePass holds anything pending.
import { isFinalStatus } from '../../src/exchange/call/transaction.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/journal/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { postSoap, sale } from '../support/gateway.js';
import { crash, startChildGateway, type ChildGateway } from './helpers/child-gateway.js';
import { receiptsOf, sleep, waitFor } from './helpers/e2e.js';


let sim: RunningSimulator;
let dataDir: string;
let child: ChildGateway | undefined;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  await sim.control.setRules([{ then: 'none' }]);
  dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-term-'));
});
afterAll(async () => {
  if (child !== undefined && child.proc.exitCode === null) await crash(child);
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM with payments in flight', () => {
  it('every waiting POS gets its answer, approvals are committed, nothing is left pending anywhere', async () => {
    const gw = await startChildGateway({ sim, dataDir, env: { SPGW_SERVER__SHUTDOWN_GRACE_MS: '1500' } });
    child = gw;
    // 0: the consumer is paying when the grace period ends (cancel too late, then approved)
    // 1-3 approved and 4-5 declined during the grace period; 6-11 still waiting when it ends (cancelled).
    const receipts = Array.from({ length: 12 }, (_, i) => `TERM-${i}`);
    const expected = receipts.map((_, i) => (i <= 3 ? 'APPROVED' : i <= 5 ? 'DECLINED' : 'CANCELLED'));
    const replies = receipts.map((r) => postSoap(gw.soapUrl, 'Sale', sale(r)));
    await waitFor(() => sim.control.stats(), (s) => s.initCalls === receipts.length && s.sockets >= receipts.length, 10_000);
    const numbers = await receiptsOf(sim);
    const n = (i: number) => numbers.get(receipts[i] as string) as string;
    await sim.control.processing(n(0));

    gw.proc.kill('SIGTERM');
    await sleep(300);
    for (const i of [1, 2, 3]) await sim.control.approve(n(i));
    for (const i of [4, 5]) await sim.control.decline(n(i));
    // Grace over: the ladder cancels the rest; payment 0 refuses (processing) and is approved right then.
    await waitFor(() => sim.control.transaction(n(0)), (t) => t.cancelCalls > 0, 5_000);
    await sim.control.approve(n(0));

    const answers = await Promise.all(replies);
    expect(answers.map((a) => a.fields.Result)).toEqual(expected);
    answers.forEach((a, i) => expect(a.fields.TransactionId).toBe(n(i)));
    const exit = await gw.exited;
    expect(exit.code).toBe(0);

    // SensePass: nothing pending, one payment per Sale, every delivered approval committed.
    const stats = await sim.control.stats();
    expect(stats.initCalls).toBe(receipts.length);
    expect((await sim.control.transactions()).filter((t) => !isFinalStatus(t.status))).toEqual([]);
    for (const [i, outcome] of expected.entries()) {
      const tx = await sim.control.transaction(n(i));
      expect(tx.committed, receipts[i]).toBe(outcome === 'APPROVED');
      expect(tx.entity.status, receipts[i]).toBe({ APPROVED: 5, DECLINED: 6, CANCELLED: 9 }[outcome]);
    }

    // The journal file after exit: no unfinished entry, every outcome recorded as answered.
    const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite') });
    try {
      expect(await journal.unfinished()).toEqual([]);
      for (const [i, outcome] of expected.entries()) {
        const e = await journal.findByKey('anonymous', `T7/${receipts[i]}`);
        expect(e?.outcome, receipts[i]).toBe(outcome);
        expect(e?.state, receipts[i]).toBe(outcome === 'APPROVED' ? 'COMMITTED' : 'DELIVERED');
      }
    } finally {
      await journal.close();
    }
  }, 60_000);
});
