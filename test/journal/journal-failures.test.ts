// Fail closed: a journal that cannot be opened or written throws GW_JOURNAL_UNAVAILABLE and reports itself unhealthy.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { input, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal | undefined;
let blocker: Database.Database | undefined;

beforeEach(() => {
  tmp = tempDir();
});
afterEach(async () => {
  if (blocker?.inTransaction === true) blocker.exec('ROLLBACK');
  blocker?.close();
  blocker = undefined;
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isGatewayError(err) ? err.code : `not a gateway error: ${String(err)}`;
  }
  return undefined;
}

async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (err: unknown) => (isGatewayError(err) ? err.code : `not a gateway error: ${String(err)}`),
  );
}

describe('journal fails closed', () => {
  it('cannot open when a directory is in the way of the file', () => {
    const file = path.join(tmp.dir, 'journal.sqlite');
    mkdirSync(file);
    expect(codeOf(() => open(file))).toBe('GW_JOURNAL_UNAVAILABLE');
  });

  it('cannot open when the data directory cannot be created (a file is in the way)', () => {
    writeFileSync(path.join(tmp.dir, 'data'), 'not a directory');
    expect(codeOf(() => open(path.join(tmp.dir, 'data', 'journal.sqlite')))).toBe('GW_JOURNAL_UNAVAILABLE');
  });

  it('cannot open a file that is not a SQLite database', () => {
    const file = path.join(tmp.dir, 'journal.sqlite');
    writeFileSync(file, 'this is not a database, just text that happens to be long enough '.repeat(100));
    expect(codeOf(() => open(file))).toBe('GW_JOURNAL_UNAVAILABLE');
  });

  it('a write blocked by another connection holding the lock fails with GW_JOURNAL_UNAVAILABLE, then recovers', async () => {
    const file = path.join(tmp.dir, 'journal.sqlite');
    journal = open(file, { busyTimeoutMs: 50 });
    const { exchange } = await journal.begin(input({ key: 'before' }));
    blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');

    expect(await codeOfAsync(journal.begin(input({ key: 'during' })))).toBe('GW_JOURNAL_UNAVAILABLE');
    expect(await codeOfAsync(journal.advance(exchange.id, { state: 'CALLING' }))).toBe('GW_JOURNAL_UNAVAILABLE');
    const health = journal.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/SQLITE_BUSY/);

    blocker.exec('ROLLBACK');
    expect(journal.health()).toEqual({ ok: true });
    expect((await journal.begin(input({ key: 'during' }))).kind).toBe('new');
    expect(await journal.get(exchange.id)).toMatchObject({ state: 'JOURNALED' });
  });

  it('a full journal (disk full, simulated with max_page_count) fails with GW_JOURNAL_UNAVAILABLE and keeps earlier rows', async () => {
    const file = path.join(tmp.dir, 'journal.sqlite');
    journal = open(file, { maxSizeBytes: 64 * 1024 });
    const big = 'x'.repeat(2000);
    let written = 0;
    let failure: string | undefined;
    for (let i = 0; i < 200 && failure === undefined; i++) {
      failure = await codeOfAsync(journal.begin(input({ key: `k${i}`, context: { note: big } })));
      if (failure === undefined) written++;
    }
    expect(failure).toBe('GW_JOURNAL_UNAVAILABLE');
    expect(written).toBeGreaterThan(0);
    expect(journal.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/SQLITE_FULL/) });
    expect(await journal.findByKey('pos-1', 'k0')).toMatchObject({ state: 'JOURNALED' });
    expect(await journal.findByKey('pos-1', `k${written}`)).toBeUndefined();
  });
});
