// The one table of allowed exchange state moves; the journal enforces it on every advance().
import type { ExchangeState } from '../exchange/exchange.js';
import { gwError } from '../errors.js';

/**
 * Where each state may go next (docs/lifecycle.md uses the same names). Staying in the same state (a patch that only
 * adds fields, e.g. the transactionNumber while CALLING) is allowed except in the terminal states COMMITTED and
 * REJECTED, which are never changed again. Money rules encoded here:
 * - COMMITTED only follows DELIVERED: a reply that never reached the POS is never committed.
 * - REJECTED and NOT_CREATED (no payment upstream, not charged) are only reachable before the outcome is awaited, or
 *   from UNKNOWN when recovery proved the payment was never created; once AWAITING, a payment ends SETTLED or UNKNOWN.
 * - NOT_CREATED may go back to CALLING: the same request again is a fresh attempt under the same key.
 * - Nothing leaves SETTLED except DELIVERED: a known outcome is never un-known.
 */
export const TRANSITIONS: Readonly<Record<ExchangeState, readonly ExchangeState[]>> = {
  RECEIVED: ['JOURNALED', 'REJECTED'],
  JOURNALED: ['CALLING', 'AWAITING', 'RESOLVING', 'SETTLED', 'UNKNOWN', 'REJECTED', 'NOT_CREATED'],
  CALLING: ['AWAITING', 'RESOLVING', 'SETTLED', 'UNKNOWN', 'REJECTED', 'NOT_CREATED'],
  AWAITING: ['RESOLVING', 'SETTLED', 'UNKNOWN'],
  RESOLVING: ['AWAITING', 'SETTLED', 'UNKNOWN'],
  UNKNOWN: ['AWAITING', 'RESOLVING', 'SETTLED', 'REJECTED', 'NOT_CREATED'],
  NOT_CREATED: ['CALLING'],
  SETTLED: ['DELIVERED'],
  DELIVERED: ['COMMITTED'],
  COMMITTED: [],
  REJECTED: [],
};

/** States no patch may touch again. */
export const TERMINAL_STATES: ReadonlySet<ExchangeState> = new Set(['COMMITTED', 'REJECTED']);

export function canMove(from: ExchangeState, to: ExchangeState): boolean {
  if (from === to) return !TERMINAL_STATES.has(from);
  return TRANSITIONS[from].includes(to);
}

/** Throws GW_JOURNAL_ILLEGAL_TRANSITION (nothing is written) when the move is not in the table. */
export function assertMove(from: ExchangeState, to: ExchangeState): void {
  if (!canMove(from, to)) throw gwError('GW_JOURNAL_ILLEGAL_TRANSITION', { from, to });
}
