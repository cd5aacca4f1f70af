// Issue 5, fail closed: no payment is started that could not be journaled first. A journal that cannot be opened
// stops start-up; one that cannot be written refuses payments with GW_JOURNAL_UNAVAILABLE — SensePass sees no init.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/journal/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startChildGateway } from './helpers/child-gateway.js';
import { sleep, txFor, waitFor } from './helpers/e2e.js';

describe('a journal that cannot be opened', () => {
  let sim: RunningSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, approveAfterMs: 50 });
    dir = mkdtempSync(path.join(tmpdir(), 'spgw-nojournal-'));
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the data directory is a file → the gateway process refuses to start (GW_JOURNAL_UNAVAILABLE), no init', async () => {
    const notADir = path.join(dir, 'data');
    writeFileSync(notADir, 'not a directory');
    const child = await startChildGateway({ sim, dataDir: notADir, expectFailure: true });
    const exit = await child.exited;
    expect(exit.code).not.toBe(0);
    expect(child.output()).toContain('GW_JOURNAL_UNAVAILABLE');
    // Nothing ever listened, so no POS request could start a payment.
    await expect(postSoap(child.soapUrl, 'Sale', sale('R-NOJOURNAL'))).rejects.toThrow();
    expect((await sim.control.stats()).initCalls).toBe(0);
  });
});

describe('a journal that cannot be written after start', () => {
  let gw: TestGateway;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-lockedjournal-'));
    // The same SQLite journal, with a short lock wait so a held lock fails the write quickly.
    const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite'), busyTimeoutMs: 200 });
    gw = await startTestGateway({ dataDir, deps: { journal } });
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('works while the journal is writable (control case)', async () => {
    const r = await postSoap(gw.soapUrl, 'Sale', sale('R-BEFORE-LOCK'));
    expect(r.fields.Result).toBe('APPROVED');
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });

  it('another connection holds the write lock → GW_JOURNAL_UNAVAILABLE and SensePass saw no init', async () => {
    const other = new Database(path.join(dataDir, 'journal.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE'); // the write lock; the gateway's begin() cannot journal the new payment
      const r = await postSoap(gw.soapUrl, 'Sale', sale('R-LOCKED'));
      expect(r.faultCode).toBe('GW_JOURNAL_UNAVAILABLE');
      expect(r.fields.Result).toBeUndefined();
      expect((await gw.sim.control.stats()).initCalls).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Writable again: the same request now goes through — exactly one payment for it.
    const r = await postSoap(gw.soapUrl, 'Sale', sale('R-LOCKED'));
    expect(r.fields.Result).toBe('APPROVED');
    expect((await gw.sim.control.stats()).initCalls).toBe(2);
  });

  it('the journal stops taking writes while a payment waits, then it is approved → UNKNOWN (never a false "not started"), a retry gets APPROVED', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const pending = postSoap(gw.soapUrl, 'Sale', sale('R-LOCK-MIDWAY'));
    const n = await txFor(gw.sim, 'R-LOCK-MIDWAY');
    await sleep(150);
    const other = new Database(path.join(dataDir, 'journal.sqlite'));
    let answer;
    try {
      other.exec('BEGIN IMMEDIATE');
      await gw.sim.control.approve(n);
      answer = await pending;
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The outcome could not be recorded, so it cannot be committed: the POS must not be told "approved" (SensePass
    // would reverse it) nor "no payment was started" (it was, and it is approved): it is told to ask again.
    expect(answer.fields.Result).toBe('UNKNOWN');
    expect((await gw.sim.control.transaction(n)).committed).toBe(false);
    const retry = await postSoap(gw.soapUrl, 'Sale', sale('R-LOCK-MIDWAY'));
    expect(retry.fields.Result).toBe('APPROVED');
    expect(retry.fields.TransactionId).toBe(n);
    expect((await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed)).committed).toBe(true);
  });

  it('the journal stops taking writes right after init → the payment is cancelled, not left pending', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    // The init answer takes 600 ms: the entry is journaled (CALLING) before it, the lock is taken during it.
    await gw.sim.control.setFaults({ latencyMs: { 'POST /transactions/init': 600 } });
    const initsBefore = (await gw.sim.control.stats()).initCalls;
    const other = new Database(path.join(dataDir, 'journal.sqlite'));
    let answer;
    try {
      const pending = postSoap(gw.soapUrl, 'Sale', sale('R-LOCK-AFTER-INIT'));
      await sleep(250);
      other.exec('BEGIN IMMEDIATE');
      answer = await pending;
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await gw.sim.control.resetFaults();
    }
    const n = await txFor(gw.sim, 'R-LOCK-AFTER-INIT');
    const tx = await gw.sim.control.transaction(n);
    expect(tx.entity.status).toBe(9); // cancelled at once: a payment the gateway cannot record is not left open
    expect(answer.faultCode).toBeUndefined();
    expect(answer.fields.Result).toBe('CANCELLED');
    const retry = await postSoap(gw.soapUrl, 'Sale', sale('R-LOCK-AFTER-INIT'));
    expect(retry.fields.Result).toBe('CANCELLED');
    expect(retry.fields.TransactionId).toBe(n);
    expect((await gw.sim.control.stats()).initCalls - initsBefore).toBe(1); // the retry created nothing new
  });

  it('a full journal (size cap reached) → GW_JOURNAL_UNAVAILABLE and no init', async () => {
    const capDir = mkdtempSync(path.join(tmpdir(), 'spgw-fulljournal-'));
    const file = path.join(capDir, 'journal.sqlite');
    const full = await startTestGateway({
      simulator: gw.sim,
      dataDir: capDir,
      deps: { journal: openSqliteJournal({ file, maxSizeBytes: 256 * 1024 }) },
    });
    try {
      // Other work fills the journal to its cap (like a full disk).
      const journal = full.gateway.context.journal;
      // Rows of shrinking size until not even a small one fits any more.
      let filled = false;
      let i = 0;
      for (const size of [4_000, 1_000, 250, 50, 1]) {
        for (filled = false; !filled && i < 2_000; i++) {
          try {
            await journal.begin({ scope: 'filler', key: `k${i}`, mappingId: 'filler', payloadHash: 'h', deadlineAt: 0, context: { pad: 'x'.repeat(size) } });
          } catch {
            filled = true;
          }
        }
      }
      expect(filled).toBe(true);
      const before = (await gw.sim.control.stats()).initCalls;
      const r = await postSoap(full.soapUrl, 'Sale', sale('R-FULL'));
      expect(r.faultCode).toBe('GW_JOURNAL_UNAVAILABLE');
      expect((await gw.sim.control.stats()).initCalls).toBe(before);
    } finally {
      await full.close();
      rmSync(capDir, { recursive: true, force: true });
    }
  });
});
