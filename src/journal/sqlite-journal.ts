// The embedded journal: one SQLite file (WAL, synchronous=FULL, group commit) holding every exchange, written before any upstream call.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { UNFINISHED_STATES, type Exchange } from '../exchange/exchange.js';
import { gwError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { BeginInput, BeginResult, ExchangePatch, Journal, JournalHealth } from './journal.js';
import { loadMigrations, migrate, type Migration } from './migrate.js';
import { toExchange, toParams, type ExchangeRow } from './row-codec.js';
import { createWriteBatcher, type BatchStats } from './write-batcher.js';
import { assertNoSecrets, journalKey, maskedBegin, maskedPatch } from './secret-guard.js';
import { assertMove } from './transitions.js';

export interface SqliteJournalOptions {
  /** The SQLite file; its directory is created when missing. */
  readonly file: string;
  readonly now?: () => number;
  readonly logger?: Logger;
  /** How long a write waits for a lock held by another connection before failing closed (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Optional cap on the file size (PRAGMA max_page_count); a full journal fails closed like a full disk. */
  readonly maxSizeBytes?: number;
  /**
   * 'full' (default): every committed batch is fsynced before its writes resolve; survives power loss.
   * 'normal': in WAL mode, survives a process crash but not an OS crash or power loss (see docs/lifecycle.md).
   */
  readonly synchronous?: JournalSynchronous;
  /** Writes queued beyond this many are committed at once instead of at the next setImmediate (default 256). */
  readonly maxBatch?: number;
}

export type JournalSynchronous = 'full' | 'normal';

export interface SqliteJournal extends Journal {
  readonly file: string;
  /** Schema version after migrations ran at open. */
  readonly schemaVersion: number;
  /** The synchronous level SQLite applied on this connection (read back, not the option echoed). */
  readonly synchronous: JournalSynchronous;
  /** A write probe: ok means an exchange could be journaled right now. Never throws. */
  health(): JournalHealth;
  /** Group-commit counters (batches, writes, failed batches, largest batch), for tests and metrics. */
  stats(): BatchStats;
}

const UNFINISHED_LIST = [...UNFINISHED_STATES].map((s) => `'${s}'`).join(', ');
const COLUMNS =
  'id, scope, key, mapping_id, payload_hash, state, transaction_number, outcome, reply, result, commit_link, deadline_at, created_at, updated_at, context';

/** Larger than a typical entry (context + stored reply), so the health probe needs fresh pages like a real write. */
const PROBE_FILLER = 'x'.repeat(8192);

let cachedMigrations: Migration[] | undefined;

/**
 * Opens (creating and migrating) the journal, or throws GW_JOURNAL_UNAVAILABLE: the gateway never takes a payment it
 * could not journal first.
 *
 * Why synchronous=FULL: in WAL mode, NORMAL only syncs at checkpoints, so a power loss can drop the last commits. The
 * entry written by begin() is the only proof that a payment may exist upstream; it must be on disk before the
 * upstream call, or a restart could neither replay nor reconcile that payment. One fsync per state change is cheap
 * next to a card payment.
 *
 * Why group commit: better-sqlite3 is synchronous, so one fsync per state change stalls the event loop ~6 times per
 * Sale. Writes are queued and committed together (one transaction, one fsync per batch); each write still resolves
 * only after the COMMIT that contains it returned, so the durability promise is the same per write.
 */
export function openSqliteJournal(options: SqliteJournalOptions): SqliteJournal {
  const file = path.resolve(options.file);
  const now = options.now ?? Date.now;
  const logger = options.logger;
  let db: Db | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') logger?.warn({ file, mode }, 'journal: WAL is not available on this file system; using rollback journal');
    db.pragma(`synchronous = ${(options.synchronous ?? 'full') === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (options.maxSizeBytes !== undefined) {
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      db.pragma(`max_page_count = ${Math.max(1, Math.ceil(options.maxSizeBytes / pageSize))}`);
    }
    cachedMigrations ??= loadMigrations();
    const result = migrate(db, cachedMigrations);
    if (result.applied.length > 0) logger?.info({ file, from: result.from, to: result.to }, 'journal: schema migrated');
    const synchronous = appliedSynchronous(db);
    if (synchronous === 'normal') logger?.warn({ file }, 'journal: synchronous=NORMAL; an OS crash or power loss can lose the last writes');
    return { ...createJournal(db, file, result.to, now, logger, options.maxBatch ?? 256), synchronous };
  } catch (err) {
    db?.close();
    if (isGatewayError(err)) throw err;
    logger?.error({ file, sqlite: sqliteCode(err), reason: reasonOf(err) }, 'journal: cannot open');
    throw gwError('GW_JOURNAL_UNAVAILABLE', {}, err);
  }
}

function createJournal(
  db: Db,
  file: string,
  schemaVersion: number,
  now: () => number,
  logger: Logger | undefined,
  maxBatch: number,
): Omit<SqliteJournal, 'synchronous'> {
  // Compiled once; every call below reuses them.
  const byId: Statement<[string], ExchangeRow> = db.prepare(`SELECT ${COLUMNS} FROM exchanges WHERE id = ?`);
  const byKey: Statement<[string, string], ExchangeRow> = db.prepare(`SELECT ${COLUMNS} FROM exchanges WHERE scope = ? AND key = ?`);
  const insert = db.prepare(
    `INSERT INTO exchanges (${COLUMNS}) VALUES (@id, @scope, @key, @mapping_id, @payload_hash, @state, @transaction_number,
     @outcome, @reply, @result, @commit_link, @deadline_at, @created_at, @updated_at, @context)`,
  );
  const update = db.prepare(
    `UPDATE exchanges SET state = @state, transaction_number = @transaction_number, outcome = @outcome, reply = @reply, result = @result,
     commit_link = @commit_link, deadline_at = @deadline_at, updated_at = @updated_at, context = @context WHERE id = @id`,
  );
  const unfinishedRows: Statement<[], ExchangeRow> = db.prepare(
    `SELECT ${COLUMNS} FROM exchanges WHERE state IN (${UNFINISHED_LIST}) ORDER BY created_at, id`,
  );
  const uncommittedRows: Statement<[], ExchangeRow> = db.prepare(
    `SELECT ${COLUMNS} FROM exchanges WHERE state = 'DELIVERED' AND outcome = 'APPROVED' AND commit_link IS NOT NULL ORDER BY created_at, id`,
  );
  const pruneRows = db.prepare(`DELETE FROM exchanges WHERE updated_at < ? AND state NOT IN (${UNFINISHED_LIST})`);
  const upsertMeta = db.prepare(
    'INSERT INTO journal_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );
  const deleteMeta = db.prepare('DELETE FROM journal_meta WHERE name = ?');
  // The probe commits a write (the WAL and fsync work) and briefly allocates room for an entry-sized row (a full
  // disk or journal fails here, not only on the next payment), removing it again in the same transaction.
  const probe = db.transaction((at: string) => {
    upsertMeta.run('health', at);
    upsertMeta.run('capacity-probe', PROBE_FILLER);
    deleteMeta.run('capacity-probe');
  });

  let closed = false;
  let lastFailure: string | undefined;

  /** Records a database failure (for health) and turns it into the fail-closed catalogue error. */
  function failClosed(op: string, err: unknown): Error {
    lastFailure = `${op} failed: ${sqliteCode(err) ?? reasonOf(err)}`;
    logger?.error({ file, op, sqlite: sqliteCode(err), reason: reasonOf(err) }, 'journal: operation failed');
    return gwError('GW_JOURNAL_UNAVAILABLE', {}, err);
  }

  /** Runs a database operation; anything but a deliberate catalogue error fails closed as GW_JOURNAL_UNAVAILABLE. */
  function guard<T>(op: string, fn: () => T): T {
    if (closed) throw gwError('GW_JOURNAL_UNAVAILABLE', {}, new Error('journal is closed'));
    try {
      const value = fn();
      lastFailure = undefined;
      return value;
    } catch (err) {
      if (isGatewayError(err)) throw err;
      throw failClosed(op, err);
    }
  }

  // Every write goes through here: one transaction per batch, a savepoint per write (see write-batcher.ts).
  const batcher = createWriteBatcher({
    db,
    maxBatch,
    isOwnError: isGatewayError,
    batchError: (err) => (isGatewayError(err) ? err : failClosed('write batch', err)),
    onCommitted: () => void (lastFailure = undefined),
  });

  /** Queues a write; rejects at once when the journal is closed. */
  function write<T>(run: () => T): Promise<T> {
    if (closed) return Promise.reject(gwError('GW_JOURNAL_UNAVAILABLE', {}, new Error('journal is closed')));
    return batcher.enqueue(run);
  }

  // Runs inside the batch, in its own savepoint: a second begin for the same key in the same batch sees the first's row.
  const beginOp = (input: BeginInput): BeginResult => {
    const found = byKey.get(input.scope, input.key);
    if (found !== undefined) {
      const exchange = toExchange(found);
      return { kind: exchange.payloadHash === input.payloadHash ? 'existing' : 'conflict', exchange };
    }
    const at = now();
    const exchange: Exchange = {
      id: randomUUID(),
      scope: input.scope,
      key: input.key,
      mappingId: input.mappingId,
      payloadHash: input.payloadHash,
      state: 'JOURNALED',
      deadlineAt: input.deadlineAt,
      createdAt: at,
      updatedAt: at,
      context: input.context,
    };
    insert.run(toParams(exchange));
    return { kind: 'new', exchange };
  };

  const advanceOp = (id: string, patch: ExchangePatch): Exchange => {
    const row = byId.get(id);
    if (row === undefined) throw gwError('GW_JOURNAL_ENTRY_NOT_FOUND', { id });
    const current = toExchange(row);
    const state = patch.state ?? current.state;
    assertMove(current.state, state);
    if (patch.transactionNumber !== undefined && current.transactionNumber !== undefined && patch.transactionNumber !== current.transactionNumber) {
      // One exchange is one payment: re-pointing it at another transaction would orphan the first.
      throw gwError('GW_JOURNAL_ILLEGAL_TRANSITION', { from: current.state, to: state, field: 'transactionNumber' });
    }
    const next: Exchange = {
      ...current,
      state,
      transactionNumber: patch.transactionNumber ?? current.transactionNumber,
      outcome: patch.outcome ?? current.outcome,
      reply: patch.reply ?? current.reply,
      result: patch.result ?? current.result,
      commitLink: patch.commitLink ?? current.commitLink,
      deadlineAt: patch.deadlineAt ?? current.deadlineAt,
      context: patch.context ?? current.context,
      updatedAt: Math.max(now(), current.updatedAt),
    };
    update.run(toParams(next));
    return next;
  };

  return {
    file,
    schemaVersion,
    async begin(input) {
      assertNoSecrets(input.context, 'context');
      const masked = maskedBegin(input);
      return write(() => beginOp(masked));
    },
    async advance(id, patch) {
      if (patch.context !== undefined) assertNoSecrets(patch.context, 'context');
      if (patch.reply !== undefined) assertNoSecrets(patch.reply, 'reply');
      if (patch.result !== undefined) assertNoSecrets(patch.result, 'result');
      const masked = maskedPatch(patch);
      return write(() => advanceOp(id, masked));
    },
    async get(id) {
      return guard('get', () => {
        const row = byId.get(id);
        return row === undefined ? undefined : toExchange(row);
      });
    },
    async findByKey(scope, key) {
      return guard('findByKey', () => {
        const row = byKey.get(scope, journalKey(key));
        return row === undefined ? undefined : toExchange(row);
      });
    },
    async unfinished() {
      return guard('unfinished', () => unfinishedRows.all().map(toExchange));
    },
    async uncommitted() {
      return guard('uncommitted', () => uncommittedRows.all().map(toExchange));
    },
    async prune(olderThanMs) {
      return write(() => pruneRows.run(now() - olderThanMs).changes);
    },
    async close() {
      if (closed) return;
      batcher.flush(); // queued writes are committed (and settled) before the database closes
      closed = true;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        logger?.warn({ file, sqlite: sqliteCode(err) }, 'journal: checkpoint at close failed; WAL is replayed at next open');
      }
      db.close();
    },
    health() {
      if (closed) return { ok: false, detail: 'journal is closed' };
      try {
        guard('health', () => probe.immediate(String(now())));
        return { ok: true };
      } catch {
        return { ok: false, detail: lastFailure ?? 'journal write failed' };
      }
    },
    stats: () => batcher.stats(),
  };
}

/** SQLite reports 2 for FULL and 1 for NORMAL; anything else (OFF, EXTRA) is not a level this gateway sets. */
function appliedSynchronous(db: Db): JournalSynchronous {
  const level = Number(db.pragma('synchronous', { simple: true }));
  if (level === 2) return 'full';
  if (level === 1) return 'normal';
  throw new Error(`journal: unexpected synchronous level ${level}`);
}

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
