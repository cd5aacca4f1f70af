// Group commit through the real journal: concurrent writes share one transaction, fail alone, keep their order.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { input, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal | undefined;
let file: string;

beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'journal.sqlite');
});
afterEach(async () => {
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

/** What another connection sees on disk: only committed rows. */
function onDisk(): Map<string, { key: string; state: string; transaction_number: string | null }> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, key, state, transaction_number FROM exchanges').all() as {
      id: string;
      key: string;
      state: string;
      transaction_number: string | null;
    }[];
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    db.close();
  }
}

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'fulfilled';
  return isGatewayError(result.reason) ? result.reason.code : `not a gateway error: ${String(result.reason)}`;
}

async function beginMany(j: SqliteJournal, n: number, prefix = 'k'): Promise<string[]> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => j.begin(input({ key: `${prefix}${i}` }))));
  return results.map((r) => r.exchange.id);
}

describe('group commit', () => {
  it('N concurrent advances are committed in ONE transaction, and each resolves with its own new value', async () => {
    journal = open(file);
    const ids = await beginMany(journal, 20);
    const before = journal.stats();
    const advanced = await Promise.all(ids.map((id, i) => journal!.advance(id, { state: 'CALLING', transactionNumber: `tx-${i}` })));
    const after = journal.stats();
    expect(after.batches - before.batches).toBe(1);
    expect(after.writes - before.writes).toBe(20);
    expect(after.largestBatch).toBe(20);
    expect(advanced.map((e) => e.transactionNumber)).toEqual(ids.map((_, i) => `tx-${i}`));
    const disk = onDisk();
    for (const [i, id] of ids.entries()) expect(disk.get(id)).toMatchObject({ state: 'CALLING', transaction_number: `tx-${i}` });
  });

  it('two begins for the same key in one batch: the second sees the first row (existing / conflict), one row', async () => {
    journal = open(file);
    const before = journal.stats().batches;
    const [first, same, other] = await Promise.all([
      journal.begin(input()),
      journal.begin(input()),
      journal.begin(input({ payloadHash: 'b'.repeat(64) })),
    ]);
    expect(journal.stats().batches - before).toBe(1);
    expect(first.kind).toBe('new');
    expect(same).toEqual({ kind: 'existing', exchange: first.exchange });
    expect(other.kind).toBe('conflict');
    expect(other.exchange.id).toBe(first.exchange.id);
    expect(onDisk().size).toBe(1);
  });

  it('an operation that throws in a batch rejects alone; the others of the batch are committed', async () => {
    journal = open(file);
    const [a, b, c] = await beginMany(journal, 3);
    const before = journal.stats().batches;
    const results = await Promise.allSettled([
      journal.advance(a!, { state: 'CALLING' }),
      journal.advance(b!, { state: 'COMMITTED' }), // JOURNALED → COMMITTED is illegal
      journal.advance('no-such-id', { state: 'CALLING' }),
      journal.advance(c!, { state: 'AWAITING', transactionNumber: 'tx-c' }),
      journal.advance(c!, { transactionNumber: 'tx-other' }), // re-pointing the payment is illegal
      journal.begin(input({ key: 'k9' })),
    ]);
    expect(journal.stats().batches - before).toBe(1);
    expect(results.map(codeOf)).toEqual([
      'fulfilled',
      'GW_JOURNAL_ILLEGAL_TRANSITION',
      'GW_JOURNAL_ENTRY_NOT_FOUND',
      'fulfilled',
      'GW_JOURNAL_ILLEGAL_TRANSITION',
      'fulfilled',
    ]);
    const disk = onDisk();
    expect(disk.get(a!)?.state).toBe('CALLING');
    expect(disk.get(b!)?.state).toBe('JOURNALED');
    expect(disk.get(c!)).toMatchObject({ state: 'AWAITING', transaction_number: 'tx-c' });
    expect([...disk.values()].map((r) => r.key).sort()).toEqual(['k0', 'k1', 'k2', 'k9']);
  });

  it('an I/O failure inside a batch (journal full) rejects every write of the batch and writes none of them', async () => {
    journal = open(file, { maxSizeBytes: 64 * 1024 });
    const kept = (await journal.begin(input({ key: 'kept' }))).exchange;
    const big = 'x'.repeat(2000);
    // 40 × 2 KB cannot fit in 64 KB: some inserts of this batch succeed before the journal is full.
    const results = await Promise.allSettled([
      journal.advance(kept.id, { state: 'CALLING' }),
      ...Array.from({ length: 40 }, (_, i) => journal!.begin(input({ key: `big${i}`, context: { note: big } }))),
    ]);
    expect(new Set(results.map(codeOf))).toEqual(new Set(['GW_JOURNAL_UNAVAILABLE']));
    expect(journal.stats().failedBatches).toBe(1);
    expect([...onDisk().values()]).toEqual([{ id: kept.id, key: 'kept', state: 'JOURNALED', transaction_number: null }]);
  });

  it('keeps the order of writes per exchange, also across batches split by the size cap', async () => {
    journal = open(file, { maxBatch: 3 });
    const [id] = await beginMany(journal, 1);
    const before = journal.stats().batches;
    const steps = ['CALLING', 'AWAITING', 'SETTLED', 'DELIVERED', 'COMMITTED'] as const;
    const results = await Promise.all(steps.map((state) => journal!.advance(id!, { state })));
    expect(results.map((e) => e.state)).toEqual([...steps]);
    expect(journal.stats().batches - before).toBe(2); // 3 + 2
    expect(onDisk().get(id!)?.state).toBe('COMMITTED');
  });

  it('a batch reaching the size cap is committed at once, before the current call returns', async () => {
    journal = open(file, { maxBatch: 4 });
    const before = journal.stats().batches;
    const pending = [0, 1, 2].map((i) => journal!.begin(input({ key: `cap${i}` })));
    expect(journal.stats().batches).toBe(before); // waiting for setImmediate
    pending.push(journal.begin(input({ key: 'cap3' })));
    expect(journal.stats().batches).toBe(before + 1);
    expect(onDisk().size).toBe(4);
    expect((await Promise.all(pending)).map((r) => r.kind)).toEqual(['new', 'new', 'new', 'new']);
  });

  it('close() commits the queued writes first; writes after close are refused', async () => {
    journal = open(file);
    const { exchange } = await journal.begin(input());
    const queued = journal.advance(exchange.id, { state: 'CALLING', transactionNumber: 'tx-close' });
    await journal.close();
    expect(await queued).toMatchObject({ state: 'CALLING' });
    expect(codeOf((await Promise.allSettled([journal.advance(exchange.id, { state: 'AWAITING' })]))[0]!)).toBe('GW_JOURNAL_UNAVAILABLE');
    expect(onDisk().get(exchange.id)).toMatchObject({ state: 'CALLING', transaction_number: 'tx-close' });
  });

  it('a read after a resolved write sees it; a queued (unresolved) write is not visible on disk yet', async () => {
    journal = open(file);
    const { exchange } = await journal.begin(input());
    const queued = journal.advance(exchange.id, { state: 'CALLING' });
    expect(onDisk().get(exchange.id)?.state).toBe('JOURNALED');
    await queued;
    expect((await journal.get(exchange.id))?.state).toBe('CALLING');
    expect(onDisk().get(exchange.id)?.state).toBe('CALLING');
  });
});
