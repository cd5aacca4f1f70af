// The SQLite journal on real files: begin/advance/lookups/prune, conflicts, persistence, migrations, card-data refusal.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { input, manualClock, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal | undefined;
let file: string;

beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'data', 'nested', 'journal.sqlite');
});
afterEach(async () => {
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

function rowCount(f: string): number {
  const db = new Database(f, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM exchanges').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(isGatewayError(err) ? err.code : err).toBe(code);
}

describe('SqliteJournal', () => {
  it('creates the data directory and opens in WAL mode with synchronous=FULL', () => {
    journal = open(file);
    expect(journal.schemaVersion).toBe(2);
    const db = new Database(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    expect(journal.health()).toEqual({ ok: true });
  });

  it('begin writes a JOURNALED entry; the same key and payload returns it; another payload is a conflict with no new row', async () => {
    const clock = manualClock();
    journal = open(file, { now: clock.now });
    const first = await journal.begin(input());
    expect(first.kind).toBe('new');
    expect(first.exchange).toMatchObject({ scope: 'pos-1', key: 'T7/R1001', state: 'JOURNALED', createdAt: clock.now(), updatedAt: clock.now() });
    expect(first.exchange.context).toEqual(input().context);

    clock.advance(1000);
    const again = await journal.begin(input());
    expect(again).toEqual({ kind: 'existing', exchange: first.exchange });

    const other = await journal.begin(input({ payloadHash: 'b'.repeat(64), context: { receipt: 'changed' } }));
    expect(other.kind).toBe('conflict');
    expect(other.exchange.id).toBe(first.exchange.id);
    expect(rowCount(file)).toBe(1);

    // Scope separates keys: the same key from another POS identity is another exchange.
    const elsewhere = await journal.begin(input({ scope: 'pos-2' }));
    expect(elsewhere.kind).toBe('new');
    expect(rowCount(file)).toBe(2);
  });

  it('advance applies the patch, bumps updatedAt, and get/findByKey read it back', async () => {
    const clock = manualClock();
    journal = open(file, { now: clock.now });
    const { exchange } = await journal.begin(input());
    clock.advance(500);
    const calling = await journal.advance(exchange.id, { state: 'CALLING', transactionNumber: 'tx-1' });
    expect(calling).toMatchObject({ state: 'CALLING', transactionNumber: 'tx-1', updatedAt: clock.now(), createdAt: exchange.createdAt });
    clock.advance(500);
    const reply = { kind: 'reply' as const, outcome: 'APPROVED' as const, value: { Result: 'APPROVED', AuthCode: '063-1' } };
    const final = await journal.advance(exchange.id, { state: 'AWAITING' }).then(() =>
      journal!.advance(exchange.id, { state: 'SETTLED', outcome: 'APPROVED', reply, commitLink: 'https://x/commitPayment/tx-1' }),
    );
    expect(final).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED', reply, transactionNumber: 'tx-1' });
    expect(await journal.get(exchange.id)).toEqual(final);
    expect(await journal.findByKey('pos-1', 'T7/R1001')).toEqual(final);
    expect(await journal.findByKey('pos-1', 'nope')).toBeUndefined();
    expect(await journal.get('missing')).toBeUndefined();
    await expectCode(journal.advance('missing', { state: 'CALLING' }), 'GW_JOURNAL_ENTRY_NOT_FOUND');
  });

  it('refuses illegal moves (out of COMMITTED, REJECTED after AWAITING, re-pointing the transaction) and writes nothing', async () => {
    journal = open(file);
    const { exchange } = await journal.begin(input());
    await journal.advance(exchange.id, { state: 'AWAITING', transactionNumber: 'tx-1' });
    await expectCode(journal.advance(exchange.id, { state: 'REJECTED' }), 'GW_JOURNAL_ILLEGAL_TRANSITION');
    await expectCode(journal.advance(exchange.id, { transactionNumber: 'tx-2' }), 'GW_JOURNAL_ILLEGAL_TRANSITION');
    await expectCode(journal.advance(exchange.id, { state: 'COMMITTED' }), 'GW_JOURNAL_ILLEGAL_TRANSITION');
    for (const state of ['SETTLED', 'DELIVERED', 'COMMITTED'] as const) await journal.advance(exchange.id, { state });
    for (const state of ['SETTLED', 'DELIVERED', 'AWAITING', 'COMMITTED'] as const) {
      await expectCode(journal.advance(exchange.id, { state }), 'GW_JOURNAL_ILLEGAL_TRANSITION');
    }
    await expectCode(journal.advance(exchange.id, { outcome: 'DECLINED' }), 'GW_JOURNAL_ILLEGAL_TRANSITION');
    expect(await journal.get(exchange.id)).toMatchObject({ state: 'COMMITTED', transactionNumber: 'tx-1', outcome: undefined });
  });

  it('unfinished lists JOURNALED/CALLING/AWAITING/RESOLVING/UNKNOWN entries, oldest first', async () => {
    const clock = manualClock();
    journal = open(file, { now: clock.now });
    const states = ['UNKNOWN', 'SETTLED', 'AWAITING', 'REJECTED', 'JOURNALED', 'RESOLVING', 'CALLING'] as const;
    const ids: Record<string, string> = {};
    for (const [i, state] of states.entries()) {
      clock.advance(10);
      const { exchange } = await journal.begin(input({ key: `k${i}` }));
      ids[state] = exchange.id;
      if (state === 'RESOLVING' || state === 'UNKNOWN') await journal.advance(exchange.id, { state: 'AWAITING' });
      if (state !== 'JOURNALED') await journal.advance(exchange.id, { state });
    }
    const unfinished = await journal.unfinished();
    expect(unfinished.map((e) => e.state)).toEqual(['UNKNOWN', 'AWAITING', 'JOURNALED', 'RESOLVING', 'CALLING']);
    expect(unfinished.map((e) => e.id)).not.toContain(ids.FINAL);
  });

  it('prune removes only finished entries older than the retention and never unfinished ones', async () => {
    const clock = manualClock();
    journal = open(file, { now: clock.now });
    const oldDone = (await journal.begin(input({ key: 'old-done' }))).exchange;
    await journal.advance(oldDone.id, { state: 'REJECTED', reply: { kind: 'fault', code: 'GW_MAP_REJECTED', params: { detail: 'x' } } });
    const oldOpen = (await journal.begin(input({ key: 'old-open' }))).exchange;
    await journal.advance(oldOpen.id, { state: 'AWAITING' });
    const oldUnknown = (await journal.begin(input({ key: 'old-unknown' }))).exchange;
    await journal.advance(oldUnknown.id, { state: 'UNKNOWN' });
    clock.advance(25 * 3_600_000);
    const newDone = (await journal.begin(input({ key: 'new-done' }))).exchange;
    await journal.advance(newDone.id, { state: 'SETTLED', outcome: 'DECLINED' });

    expect(await journal.prune(24 * 3_600_000)).toBe(1);
    expect(await journal.get(oldDone.id)).toBeUndefined();
    expect(await journal.get(oldOpen.id)).toBeDefined();
    expect(await journal.get(oldUnknown.id)).toBeDefined();
    expect(await journal.get(newDone.id)).toBeDefined();
    expect(await journal.prune(24 * 3_600_000)).toBe(0);
    // After pruning, the key is free again: a new request with it is a new exchange.
    expect((await journal.begin(input({ key: 'old-done' }))).kind).toBe('new');
  });

  it('survives close and reopen, and closing twice is harmless', async () => {
    journal = open(file);
    const { exchange } = await journal.begin(input());
    const saved = await journal.advance(exchange.id, { state: 'CALLING', transactionNumber: 'tx-9' });
    await journal.close();
    await journal.close();
    await expectCode(journal.get(exchange.id), 'GW_JOURNAL_UNAVAILABLE');
    expect(journal.health().ok).toBe(false);
    journal = open(file);
    expect(await journal.get(exchange.id)).toEqual(saved);
    expect((await journal.begin(input())).kind).toBe('existing');
  });

  it('applies migrations once: reopening applies nothing and keeps one schema_version row per migration', async () => {
    journal = open(file);
    await journal.close();
    journal = open(file);
    await journal.close();
    journal = undefined;
    const db = new Database(file);
    try {
      expect(db.prepare('SELECT version, name FROM schema_version ORDER BY version').all()).toEqual([
        { version: 1, name: 'initial' },
        { version: 2, name: 'settled_results' },
      ]);
      db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)").run();
    } finally {
      db.close();
    }
    // A file migrated by a newer gateway is refused, never written.
    expect(() => open(file)).toThrow(expect.objectContaining({ code: 'GW_JOURNAL_SCHEMA_NEWER', params: { found: 99, known: 2 } }));
  });

  it('refuses card data and secrets in context or reply, and writes nothing', async () => {
    journal = open(file);
    for (const context of [
      { cardNumber: '4111111111111111' },
      { card: { CVV: '123' } },
      { items: [{ securityCode: '123' }] },
      { cardExpiration: '12/29' },
      { Expiration: '1229' },
      { paymentDetails: { token: 'tok_abc' } },
    ]) {
      await expectCode(journal.begin(input({ context })), 'GW_JOURNAL_SECRET_REFUSED');
    }
    expect(rowCount(file)).toBe(0);
    const { exchange } = await journal.begin(input());
    await expectCode(journal.advance(exchange.id, { state: 'SETTLED', reply: { kind: 'reply', outcome: 'APPROVED', value: { Card: { Token: 'x' } } } }), 'GW_JOURNAL_SECRET_REFUSED');
    await expectCode(journal.advance(exchange.id, { context: { cvv: '999' } }), 'GW_JOURNAL_SECRET_REFUSED');
    const err = await journal.advance(exchange.id, { context: { cardNumber: '4111111111111111' } }).catch((e: unknown) => e);
    expect(String((err as Error).message) + JSON.stringify((err as { params?: unknown }).params)).not.toContain('4111');
    expect(await journal.get(exchange.id)).toEqual(exchange);
  });
});
