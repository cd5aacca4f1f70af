// `$outcomeOf(status)` for mapping authors: every SensePass status code as a word. Unlike the exchange's own rule
// (call/transaction.ts, where 11–13 count as the approval they follow, for money decisions), a status reply must
// be able to tell a refunded payment from a live one, so the refund statuses have names of their own.
import { TxStatus } from '../call/transaction.js';

export type StatusOutcome =
  | 'APPROVED' | 'DECLINED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'
  | 'REFUNDED' | 'REFUND_PENDING' | 'PARTIALLY_REFUNDED' | 'UNKNOWN';

/** Status code → what `$outcomeOf` returns; docs/transaction.md shows this table and a test keeps them in step. */
export const STATUS_OUTCOMES: Readonly<Record<number, StatusOutcome>> = Object.freeze({
  [TxStatus.Initialize]: 'UNKNOWN',
  [TxStatus.TapDetected]: 'UNKNOWN',
  [TxStatus.UserApproved]: 'UNKNOWN',
  [TxStatus.UserDeclined]: 'UNKNOWN', // not final: another consumer may still approve
  [TxStatus.ProccessingPayment]: 'UNKNOWN',
  [TxStatus.TransactionApproved]: 'APPROVED',
  [TxStatus.TransactionDeclined]: 'DECLINED',
  [TxStatus.TransactionFailed]: 'FAILED',
  [TxStatus.TransactionTimeout]: 'TIMED_OUT',
  [TxStatus.TransactionCancel]: 'CANCELLED',
  [TxStatus.WaitingForTap]: 'UNKNOWN',
  [TxStatus.TransactionRefund]: 'REFUNDED',
  [TxStatus.TransactionProcessingRefund]: 'REFUND_PENDING',
  [TxStatus.TransactionPartiallyRefunded]: 'PARTIALLY_REFUNDED',
});

/** A number → its word (an undocumented code is UNKNOWN); anything else → nothing, like JSONata's own functions. */
export function statusOutcome(status: unknown): StatusOutcome | undefined {
  if (typeof status !== 'number') return undefined;
  return Object.hasOwn(STATUS_OUTCOMES, status) ? STATUS_OUTCOMES[status] : 'UNKNOWN';
}
