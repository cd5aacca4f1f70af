// The SensePass Transaction Entity (reference §7.1) and the status → outcome rules (design.md).

/** Status codes, enum names as SensePass spells them (reference §4). */
export const TxStatus = {
  Initialize: 0,
  TapDetected: 1,
  UserApproved: 2,
  UserDeclined: 3,
  ProccessingPayment: 4,
  TransactionApproved: 5,
  TransactionDeclined: 6,
  TransactionFailed: 7,
  TransactionTimeout: 8,
  TransactionCancel: 9,
  WaitingForTap: 10,
  TransactionRefund: 11,
  TransactionProcessingRefund: 12,
  TransactionPartiallyRefunded: 13,
} as const;
export type TxStatusCode = (typeof TxStatus)[keyof typeof TxStatus];

export interface Confirmation {
  confirmationNumber?: string;
  fullConfirmationCode?: string;
  dateApproval?: string;
  paymentMethodName?: string;
  approvedBy?: string;
  authNumber?: string | null;
  lastFourDigits?: string;
  cardType?: string;
  [field: string]: unknown;
}

export interface PaymentCommit {
  messsage?: string;
  message?: string;
  isPaymentCommitted?: boolean;
  secondsToCommit?: number;
  commitLink?: string;
}

/** Field names and types as observed; amounts are major-unit decimal strings (sometimes numbers). */
export interface TransactionEntity {
  TransactionNumber: string;
  date?: string;
  amount?: string | number;
  baseAmount?: string | number;
  currency?: string;
  status: number;
  statusName?: string;
  timeoutDate?: string;
  methodType?: number;
  posData?: unknown;
  products?: unknown[];
  confirmations?: Confirmation[];
  paymentCommit?: PaymentCommit;
  paymentDetails?: { type?: string; paymentMethod?: string; created?: string; token?: string };
  transactionPage?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What the POS is told. UNKNOWN = SensePass has not confirmed a final status yet. */
export type Outcome = 'APPROVED' | 'DECLINED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'UNKNOWN';

/** Final statuses of a payment: 5 approved, 6 declined, 7 failed, 8 timed out, 9 cancelled; 11–13 only follow an approval. */
export function outcomeOf(status: number): Exclude<Outcome, 'UNKNOWN'> | undefined {
  switch (status) {
    case TxStatus.TransactionApproved:
    case TxStatus.TransactionRefund:
    case TxStatus.TransactionProcessingRefund:
    case TxStatus.TransactionPartiallyRefunded:
      return 'APPROVED';
    case TxStatus.TransactionDeclined:
      return 'DECLINED';
    case TxStatus.TransactionFailed:
      return 'FAILED';
    case TxStatus.TransactionTimeout:
      return 'TIMED_OUT';
    case TxStatus.TransactionCancel:
      return 'CANCELLED';
    default:
      return undefined; // 0–4 and 10 are still pending; 3 (user declined) is NOT final
  }
}

export const isFinalStatus = (status: number): boolean => outcomeOf(status) !== undefined;
