// Issue 5, crash safety with a real process: the gateway is SIGKILLed while 50 Sales wait, then restarted on the same
// journal. Every payment reaches a recorded final outcome, POS retries get it, and SensePass holds no duplicate.
import { isFinalStatus } from '../../src/exchange/call/transaction.js';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNFINISHED_STATES } from '../../src/exchange/exchange.js';
import { openSqliteJournal } from '../../src/journal/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { postSoap, sale } from '../support/gateway.js';
import { crash, startChildGateway, type ChildGateway } from './helpers/child-gateway.js';
import { receiptsOf, waitFor } from './helpers/e2e.js';

const COUNT = 50;

let sim: RunningSimulator;
let dataDir: string;
let child: ChildGateway | undefined;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  await sim.control.setRules([{ then: 'none' }]); // payments wait for the test
  dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-crash-'));
});
afterAll(async () => {
  if (child !== undefined && child.proc.exitCode === null) await crash(child);
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function journalRows(): { key: string; state: string; outcome: string | null }[] {
  const db = new Database(path.join(dataDir, 'journal.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT key, state, outcome FROM exchanges').all() as { key: string; state: string; outcome: string | null }[];
  } finally {
    db.close();
  }
}

describe('SIGKILL with 50 Sales waiting, then restart', () => {
  it('all 50 reach a recorded final outcome, retries get it, one SensePass payment each', async () => {
    const first = await startChildGateway({ sim, dataDir });
    child = first;
    const receipts = Array.from({ length: COUNT }, (_, i) => `CRASH-${i}`);
    const inFlight = receipts.map((r) => postSoap(first.soapUrl, 'Sale', sale(r)).then(() => 'answered', () => 'cut off'));
    await waitFor(() => sim.control.stats(), (s) => s.initCalls === COUNT && s.sockets >= COUNT, 15_000);
    await crash(first);
    expect(await Promise.all(inFlight)).toEqual(receipts.map(() => 'cut off')); // nobody got an answer

    // While the gateway is down the consumers act on half of the payments.
    const numbers = await receiptsOf(sim);
    expect(numbers.size).toBe(COUNT);
    const approved = receipts.filter((_, i) => i % 2 === 0);
    const declined = receipts.filter((_, i) => i % 2 === 1);
    for (const r of approved) await sim.control.approve(numbers.get(r) as string);

    const second = await startChildGateway({ sim, dataDir, port: Number(new URL(first.url).port) });
    child = second;
    // ...and on the other half after the restart: the recovered waits hear about it.
    for (const r of declined) await sim.control.decline(numbers.get(r) as string);

    // Before any POS retry: recovery and the resumed waits have recorded every outcome (read beside the live process).
    const recorded = await waitFor(() => journalRows(), (rows) => rows.filter((x) => x.state === 'SETTLED').length === COUNT, 10_000);
    expect(recorded.map((x) => `${x.key}=${x.state}/${x.outcome}`).sort()).toEqual(
      receipts.map((r, i) => `T7/${r}=SETTLED/${i % 2 === 0 ? 'APPROVED' : 'DECLINED'}`).sort(),
    );

    // POS retries (the same requests) get the outcomes; nothing new is created upstream.
    const replies = await Promise.all(receipts.map((r) => postSoap(second.soapUrl, 'Sale', sale(r))));
    replies.forEach((reply, i) => {
      const receipt = receipts[i] as string;
      expect(reply.fields.Result, receipt).toBe(i % 2 === 0 ? 'APPROVED' : 'DECLINED');
      expect(reply.fields.TransactionId, receipt).toBe(numbers.get(receipt));
    });
    const stats = await sim.control.stats();
    expect(stats.initCalls).toBe(COUNT);
    expect(stats.transactions).toBe(COUNT);
    expect(stats.byStatus).toMatchObject({ '5': COUNT / 2, '6': COUNT / 2 });
    const stillPending = (await sim.control.transactions()).filter((t) => !isFinalStatus(t.status));
    expect(stillPending).toEqual([]);
    // The retries delivered the approvals, so they are committed now (not before: nobody had heard of them).
    const committed = await waitFor(() => sim.control.stats(), (s) => s.commits === COUNT / 2, 5_000);
    expect(committed.commits).toBe(COUNT / 2);

    // Graceful stop, then read the journal file itself: every entry final, none unfinished.
    second.proc.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite') });
    try {
      expect(await journal.unfinished()).toEqual([]);
      for (const [i, r] of receipts.entries()) {
        const e = await journal.findByKey('anonymous', `T7/${r}`);
        expect(e?.outcome, r).toBe(i % 2 === 0 ? 'APPROVED' : 'DECLINED');
        expect(UNFINISHED_STATES.has(e?.state ?? 'JOURNALED'), r).toBe(false);
        expect(e?.state, r).toBe(i % 2 === 0 ? 'COMMITTED' : 'DELIVERED');
      }
    } finally {
      await journal.close();
    }
  }, 60_000);
});
