// Payment commit (reference §6.13): tells SensePass the POS has the approval. Called by the exchange only after
// egress reports the approved reply fully written; an uncommitted approval is reversed by SensePass instead.
import type { CallOptions, PaymentApi } from '../call/payment-api.js';
import { outcomeOf, type TransactionEntity } from '../call/transaction.js';

export type CommitResult = 'committed' | 'not-needed';

/**
 * GETs `paymentCommit.commitLink` when the payment is approved, the link is present and `isPaymentCommitted` is not
 * true. (The docs say "call it when isPaymentCommitted is true" — reference §13 #6 — read as a doc error: committing
 * is only needed while it is NOT committed.) Failures throw catalogue errors; the caller decides whether to retry.
 */
export async function commitPayment(api: PaymentApi, entity: TransactionEntity, options?: CallOptions): Promise<CommitResult> {
  const commit = entity.paymentCommit;
  const link = commit?.commitLink;
  if (outcomeOf(entity.status) !== 'APPROVED' || typeof link !== 'string' || link === '' || commit?.isPaymentCommitted === true) {
    return 'not-needed';
  }
  await api.commit(link, options);
  return 'committed';
}
