// One request = one exchange: a plain value with its ids, state and timestamps, persisted at each state change.
import type { ErrorCode, ErrorParams } from '../errors.js';
import type { Outcome } from './call/transaction.js';

/**
 * Lifecycle (docs/lifecycle.md uses these names):
 * RECEIVED → JOURNALED → CALLING → AWAITING → (RESOLVING) → FINAL → REPLIED → COMMITTED
 * with UNKNOWN (deadline passed, outcome not confirmed; reconciled in background) and
 * REJECTED (failed before any upstream effect; the fault is stored for replays).
 */
export type ExchangeState =
  | 'RECEIVED'
  | 'JOURNALED'
  | 'CALLING'
  | 'AWAITING'
  | 'RESOLVING'
  | 'FINAL'
  | 'REPLIED'
  | 'COMMITTED'
  | 'UNKNOWN'
  | 'REJECTED';

/** States from which a restart must reconcile with SensePass before reporting ready. */
export const UNFINISHED_STATES: ReadonlySet<ExchangeState> = new Set(['JOURNALED', 'CALLING', 'AWAITING', 'RESOLVING', 'UNKNOWN']);

/** What the POS gets back, stored so a repeat gets an identical answer. */
export type StoredReply =
  | { readonly kind: 'reply'; readonly outcome: Outcome | undefined; readonly value: unknown }
  | { readonly kind: 'fault'; readonly code: ErrorCode; readonly params: ErrorParams };

export interface Exchange {
  readonly id: string;
  /** POS identity the key is scoped by (authenticated user, certificate or 'anonymous'). */
  readonly scope: string;
  readonly key: string;
  readonly mappingId: string;
  /** sha256 of the canonical request payload: the same key with another payload is a conflict. */
  readonly payloadHash: string;
  readonly state: ExchangeState;
  readonly transactionNumber?: string | undefined;
  readonly outcome?: Outcome | undefined;
  readonly reply?: StoredReply | undefined;
  readonly commitLink?: string | undefined;
  /** Epoch ms by which the wait must end (the mapping's deadline). */
  readonly deadlineAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Non-secret data a replay, reconciliation or later lookup needs (POS references, amount, currency). */
  readonly context: Readonly<Record<string, unknown>>;
}
