// The simulator's status machine: names for 0–13 and which transitions SensePass can make (reference §4).
import { TxStatus } from '../exchange/call/transaction.js';

export { TxStatus };

/** statusName per code. Only 0 and 5 are documented; the rest follow "enum name with spaces" (docs/simulator.md). */
export const STATUS_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: 'Initialize',
  1: 'Tap Detected',
  2: 'User Approved',
  3: 'User Declined',
  4: 'Processing Payment',
  5: 'Transaction Approved',
  6: 'Transaction Declined',
  7: 'Transaction Failed',
  8: 'Transaction Timeout',
  9: 'Transaction Cancel',
  10: 'Waiting For Tap',
  11: 'Transaction Refund',
  12: 'Transaction Processing Refund',
  13: 'Transaction Partially Refunded',
});

/** Enum names as SensePass spells them (typo included), used in `transactionStatus` of /pay answers. */
export const STATUS_ENUM_NAMES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(TxStatus).map(([name, code]) => [code, name])),
);

/** Waiting for the consumer: the payment page is open. 3 (user declined) is NOT final. */
export const PENDING: ReadonlySet<number> = new Set([0, 1, 2, 3, 10]);
/** Pre-approval states, including 4 (processing with the provider). */
export const OPEN: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 10]);
export const NOT_CHARGED_FINAL: ReadonlySet<number> = new Set([6, 7, 8, 9]);

const OUTCOMES = [5, 6, 7, 8, 9];
const ALLOWED: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 3, 4, 10, ...OUTCOMES],
  10: [1, 2, 3, 4, ...OUTCOMES],
  1: [1, 2, 3, 4, 10, ...OUTCOMES],
  2: [3, 4, ...OUTCOMES],
  3: [1, 2, 3, 4, 10, ...OUTCOMES],
  // Processing with the provider: only the provider's answer (or the timeout) ends it; no cancel.
  4: [5, 6, 7, 8],
  // 9 after 5 only for a voided authorization (the hold is released, nothing was charged).
  5: [9, 11, 12, 13],
  12: [11, 13],
  13: [11, 12, 13],
};

export function canTransition(from: number, to: number): boolean {
  return ALLOWED[from]?.includes(to) ?? false;
}

export function isFinal(status: number): boolean {
  return !OPEN.has(status) && status !== 12;
}
