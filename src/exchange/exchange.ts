// One request = one exchange: a plain value with its ids, state and timestamps, persisted at each state change.
import type { ErrorCode, ErrorParams } from '../errors.js';
import type { Outcome, TransactionEntity } from './call/transaction.js';

/**
 * Lifecycle — one state per stage of src/exchange/stages/ (docs/lifecycle.md uses these names):
 * begin: JOURNALED → call: CALLING → await: AWAITING (RESOLVING) → settle: SETTLED → deliver: DELIVERED → commit: COMMITTED
 * settle may also end in UNKNOWN (outcome not confirmed; reconciled in background), REJECTED (SensePass refused it:
 * final, not charged) or NOT_CREATED (proven never created upstream: the same request again makes a fresh attempt).
 * render has no state: replies are rendered from the settled result on every delivery, never stored.
 */
export type ExchangeState =
  | 'RECEIVED'
  | 'JOURNALED'
  | 'CALLING'
  | 'AWAITING'
  | 'RESOLVING'
  | 'SETTLED'
  | 'DELIVERED'
  | 'COMMITTED'
  | 'UNKNOWN'
  | 'REJECTED'
  | 'NOT_CREATED';

/** States from which a restart must reconcile with SensePass before reporting ready. */
export const UNFINISHED_STATES: ReadonlySet<ExchangeState> = new Set(['JOURNALED', 'CALLING', 'AWAITING', 'RESOLVING', 'UNKNOWN']);

/**
 * A rendered reply. Journaled only by schema 1 (rows written before migration 002, still replayed as they are);
 * since then the journal stores the SettledResult and every delivery renders the reply from it.
 */
export type StoredReply =
  | { readonly kind: 'reply'; readonly outcome: Outcome | undefined; readonly value: unknown }
  | { readonly kind: 'fault'; readonly code: ErrorCode; readonly params: ErrorParams };

/**
 * What the exchange learned, as the journal keeps it: the outcome and SensePass's answer with secret fields (card
 * tokens, card data) removed. `redacted` says something was removed: a delivery then re-reads the entity from SensePass.
 */
export interface SettledResult {
  readonly outcome?: Outcome | undefined;
  /** The SensePass TransactionEntity the outcome was read from (secret fields removed). */
  readonly transaction?: TransactionEntity | undefined;
  /** The call's raw JSON answer (secret fields removed), for mappings that read it. */
  readonly response?: unknown;
  readonly httpStatus?: number | undefined;
  /** The catalogue error the call ended with (REJECTED, NOT_CREATED). */
  readonly error?: { readonly code: ErrorCode; readonly params: ErrorParams } | undefined;
  readonly redacted?: boolean | undefined;
}

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
  /** Schema-1 rows only (see StoredReply). */
  readonly reply?: StoredReply | undefined;
  readonly result?: SettledResult | undefined;
  readonly commitLink?: string | undefined;
  /** Epoch ms by which the wait must end (the mapping's deadline). */
  readonly deadlineAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Non-secret data a replay, reconciliation or later lookup needs (POS references, amount, currency). */
  readonly context: Readonly<Record<string, unknown>>;
}

/**
 * What settle hands to render — the owner's delivery and every joiner's: the exchange as the journal holds it and
 * what was learned. A live result keeps SensePass's full answer (never journaled); one read back from the journal has
 * secret fields removed (`redacted`).
 */
export interface Settled {
  readonly exchange: Exchange;
  readonly result: SettledResult | undefined;
}
