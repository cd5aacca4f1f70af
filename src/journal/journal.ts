// The narrow Journal interface: SQLite here; a shared store for several gateway instances can implement it too.
import type { Exchange, ExchangeState, SettledResult, StoredReply } from '../exchange/exchange.js';
import type { Outcome } from '../exchange/call/transaction.js';

export interface BeginInput {
  readonly scope: string;
  readonly key: string;
  readonly mappingId: string;
  readonly payloadHash: string;
  readonly deadlineAt: number;
  readonly context: Readonly<Record<string, unknown>>;
}

export type BeginResult =
  /** A new entry was written (state JOURNALED): the caller owns the exchange. */
  | { readonly kind: 'new'; readonly exchange: Exchange }
  /** Same key, same payload: join the in-flight wait or replay the stored reply. */
  | { readonly kind: 'existing'; readonly exchange: Exchange }
  /** Same key, different payload: refuse with GW_IDEMPOTENCY_CONFLICT, create nothing. */
  | { readonly kind: 'conflict'; readonly exchange: Exchange };

export interface ExchangePatch {
  readonly state?: ExchangeState;
  readonly transactionNumber?: string;
  readonly outcome?: Outcome;
  /** Schema-1 rendered replies; new code writes `result` instead. */
  readonly reply?: StoredReply;
  readonly result?: SettledResult;
  readonly commitLink?: string;
  readonly deadlineAt?: number;
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface Journal {
  /** Atomically finds or creates the entry for (scope, key). Throws GW_JOURNAL_UNAVAILABLE when it cannot write. */
  begin(input: BeginInput): Promise<BeginResult>;
  /** Applies a patch and returns the new value. Throws GW_JOURNAL_UNAVAILABLE when it cannot write. */
  advance(id: string, patch: ExchangePatch): Promise<Exchange>;
  get(id: string): Promise<Exchange | undefined>;
  findByKey(scope: string, key: string): Promise<Exchange | undefined>;
  /** Entries in UNFINISHED_STATES, oldest first. */
  unfinished(): Promise<Exchange[]>;
  /** Approvals delivered to the POS (DELIVERED) whose commit has not succeeded yet, oldest first. */
  uncommitted(): Promise<Exchange[]>;
  /**
   * Removes finished entries (state not in UNFINISHED_STATES) last updated more than `olderThanMs` ago (an age, not an
   * epoch); unfinished entries are never removed. Returns how many.
   */
  prune(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
  /** Readiness: ok means an exchange could be journaled right now. Optional so other stores can add it later. */
  health?(): JournalHealth;
}

export interface JournalHealth {
  readonly ok: boolean;
  readonly detail?: string;
}
