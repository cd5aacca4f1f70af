// The write batcher on a real SQLite file: savepoint per operation, one transaction per batch, fail closed as a whole.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gwError, isGatewayError } from '../../src/errors.js';
import { createWriteBatcher, type WriteBatcher } from '../../src/journal/write-batcher.js';
import { tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let db: Database.Database;
let batcher: WriteBatcher;
let failures: unknown[];

beforeEach(() => {
  tmp = tempDir();
  db = new Database(path.join(tmp.dir, 'b.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  failures = [];
  batcher = createWriteBatcher({
    db,
    maxBatch: 100,
    isOwnError: isGatewayError,
    batchError: (err) => {
      failures.push(err);
      return gwError('GW_JOURNAL_UNAVAILABLE', {}, err);
    },
  });
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const insert = (k: string, v: number) => () => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all();

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'fulfilled';
  return isGatewayError(result.reason) ? result.reason.code : `other: ${String(result.reason)}`;
}

describe('write batcher', () => {
  it('an operation that wrote and then threw its own error is rolled back alone (its savepoint)', async () => {
    const results = await Promise.allSettled([
      batcher.enqueue(insert('a', 1)),
      batcher.enqueue(() => {
        insert('b', 2)();
        throw gwError('GW_JOURNAL_ILLEGAL_TRANSITION', { from: 'X', to: 'Y' });
      }),
      batcher.enqueue(insert('c', 3)),
    ]);
    expect(results.map(codeOf)).toEqual(['fulfilled', 'GW_JOURNAL_ILLEGAL_TRANSITION', 'fulfilled']);
    expect(rows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'c', v: 3 },
    ]);
    expect(batcher.stats()).toMatchObject({ batches: 1, writes: 3, failedBatches: 0 });
  });

  it('a database error inside a batch fails the whole batch: all rejected, nothing of it written', async () => {
    await batcher.enqueue(insert('before', 0));
    const results = await Promise.allSettled([
      batcher.enqueue(insert('a', 1)),
      batcher.enqueue(insert('before', 2)), // UNIQUE constraint: a SQLite error, not the operation's own
      batcher.enqueue(insert('c', 3)),
    ]);
    expect(results.map(codeOf)).toEqual(['GW_JOURNAL_UNAVAILABLE', 'GW_JOURNAL_UNAVAILABLE', 'GW_JOURNAL_UNAVAILABLE']);
    expect(failures).toHaveLength(1);
    expect((failures[0] as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(rows()).toEqual([{ k: 'before', v: 0 }]);
    expect(db.inTransaction).toBe(false);
    expect(batcher.stats()).toMatchObject({ batches: 1, failedBatches: 1 });
    // The next batch is independent of the failed one.
    await batcher.enqueue(insert('after', 4));
    expect(rows()).toEqual([
      { k: 'after', v: 4 },
      { k: 'before', v: 0 },
    ]);
  });

  it('a batch that cannot start (another connection holds the write lock) rejects every write of it', async () => {
    db.pragma('busy_timeout = 20');
    const other = new Database(path.join(tmp.dir, 'b.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const results = await Promise.allSettled([batcher.enqueue(insert('a', 1)), batcher.enqueue(insert('b', 2))]);
      expect(results.map(codeOf)).toEqual(['GW_JOURNAL_UNAVAILABLE', 'GW_JOURNAL_UNAVAILABLE']);
      expect((failures[0] as { code?: string }).code).toBe('SQLITE_BUSY');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(rows()).toEqual([]);
  });

  it('flush() runs the queue at once; an empty flush does nothing', async () => {
    const p = batcher.enqueue(insert('x', 9));
    expect(rows()).toEqual([]);
    batcher.flush();
    expect(rows()).toEqual([{ k: 'x', v: 9 }]);
    expect(await p).toBe(1);
    batcher.flush();
    expect(batcher.stats()).toEqual({ batches: 1, writes: 1, failedBatches: 0, largestBatch: 1 });
  });
});
