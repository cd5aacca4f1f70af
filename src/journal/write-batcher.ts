// Group commit: queued journal writes run in ONE SQLite transaction per batch, so one fsync covers all of them.
import type { Database as Db } from 'better-sqlite3';

export interface BatchStats {
  /** Batches committed. */
  readonly batches: number;
  /** Operations that ran in a committed batch (including those that rolled back their own savepoint). */
  readonly writes: number;
  /** Batches whose transaction failed (BEGIN, an I/O error inside, or COMMIT): every operation of it was rejected. */
  readonly failedBatches: number;
  /** The largest batch committed so far. */
  readonly largestBatch: number;
}

export interface WriteBatcherOptions {
  readonly db: Db;
  /** A batch reaching this many operations is flushed at once instead of at the next setImmediate. */
  readonly maxBatch: number;
  /**
   * True for an operation's own deliberate error (illegal transition, conflict logic): only its savepoint is rolled
   * back and only its promise rejected. Any other error (SQLite I/O, disk full) fails the whole batch.
   */
  readonly isOwnError: (err: unknown) => boolean;
  /** The error every operation of a failed batch is rejected with (fail closed). Called once per failed batch. */
  readonly batchError: (err: unknown) => unknown;
  /** Called after each committed batch (the journal clears its last failure). */
  readonly onCommitted?: () => void;
}

export interface WriteBatcher {
  /** Queues a synchronous database operation; settles only after the COMMIT of its batch returned (or failed). */
  enqueue<T>(run: () => T): Promise<T>;
  /** Runs every queued operation now (close() calls it before closing the database). */
  flush(): void;
  stats(): BatchStats;
}

interface Pending {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export function createWriteBatcher(options: WriteBatcherOptions): WriteBatcher {
  const { db, isOwnError } = options;
  const maxBatch = Math.max(1, Math.trunc(options.maxBatch));
  let queue: Pending[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let batches = 0;
  let writes = 0;
  let failedBatches = 0;
  let largestBatch = 0;

  // Called inside the batch transaction, a better-sqlite3 transaction function runs as a SAVEPOINT: an operation
  // that throws rolls back only its own changes.
  const savepoint = db.transaction((run: () => unknown) => run());

  const batchTx = db.transaction((batch: readonly Pending[], outcomes: Outcome[]) => {
    for (const op of batch) {
      try {
        outcomes.push({ ok: true, value: savepoint(op.run) });
      } catch (err) {
        // Anything but the operation's own error may have ended the transaction (SQLite rolls back on some I/O
        // errors): the whole batch fails closed rather than committing a partial state nobody can reason about.
        if (!isOwnError(err)) throw err;
        outcomes.push({ ok: false, error: err });
      }
    }
  });

  function runBatch(batch: readonly Pending[]): void {
    const outcomes: Outcome[] = [];
    try {
      batchTx.immediate(batch, outcomes); // returns after COMMIT (fsync with synchronous=FULL)
    } catch (err) {
      failedBatches++;
      const error = options.batchError(err);
      for (const op of batch) op.reject(error);
      return;
    }
    batches++;
    writes += batch.length;
    largestBatch = Math.max(largestBatch, batch.length);
    options.onCommitted?.();
    batch.forEach((op, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.error);
    });
  }

  function flush(): void {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      runBatch(batch);
    }
  }

  return {
    enqueue<T>(run: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
        if (queue.length >= maxBatch) flush();
        else scheduled ??= setImmediate(flush);
      });
    },
    flush,
    stats: () => ({ batches, writes, failedBatches, largestBatch }),
  };
}
