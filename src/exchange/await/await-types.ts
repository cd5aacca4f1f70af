// The contract of the exchange's await step: what it is asked, what it needs, what it answers.
import type { SensePassCredentials } from '../../config.js';
import type { Logger } from '../../log.js';
import type { PaymentApi } from '../call/payment-api.js';
import type { Outcome, TransactionEntity } from '../call/transaction.js';
import type { Reconciler } from './reconciler.js';
import type { StatusWatcher } from './status-watcher.js';

export interface AwaitDeps {
  /** Should be wrapped with withRetries(): reads and cancel are safe to repeat. */
  readonly api: PaymentApi;
  readonly watcher: StatusWatcher;
  readonly logger: Logger;
  /** Takes over payments whose outcome is still UNKNOWN when the wait ends; without one nothing runs after the wait. */
  readonly reconciler?: Reconciler;
  readonly now?: () => number;
  /** After a cancel came too late (consumer activity), keep re-reading this long for the final status. Default 5 s. */
  readonly tooLateGraceMs?: number;
}

export interface AwaitRequest {
  readonly transactionNumber: string;
  readonly credentials: SensePassCredentials;
  /** Device mode: the device connection the exchange opened with watcher.ensureDevice() before init. */
  readonly deviceId?: string | undefined;
  /** Epoch ms at which the deadline ladder runs. */
  readonly deadlineAt: number;
  readonly onDeadline: 'cancel' | 'none';
  /** Aborted when the POS disconnected: the payment is cancelled, like SensePass's Terminal Agent does. */
  readonly signal?: AbortSignal | undefined;
  /** The init answer (read by REST, so it is the truth as of init). */
  readonly initial?: TransactionEntity | undefined;
  /** Called once if the wait ended UNKNOWN and the reconciler later learned the final status. */
  readonly onSettled?: ((result: AwaitResult) => void) | undefined;
}

export type AwaitReason = 'final' | 'deadline-cancelled' | 'deadline-unknown' | 'client-aborted';

export interface AwaitResult {
  readonly outcome: Outcome;
  /** The entity the outcome was read from; always present for a final outcome (APPROVED carries its confirmations). */
  readonly transaction: TransactionEntity | undefined;
  /** The gateway's cancel was accepted and SensePass shows the payment cancelled (status 9). */
  readonly cancelledByGateway: boolean;
  readonly reason: AwaitReason;
}
