// Background reconciliation: a payment whose wait ended UNKNOWN is re-read (with back-off, a bounded number of
// times) until SensePass reports a final status, so the journal — and a repeat of the request — get the truth.
// Recovery after a restart reuses it for every unfinished journal entry.
import type { SensePassCredentials } from '../../config.js';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { PaymentApi } from '../call/payment-api.js';
import { TxStatus, outcomeOf, type TransactionEntity } from '../call/transaction.js';
import type { AwaitResult } from './await-types.js';

export interface ReconcileJob {
  readonly transactionNumber: string;
  readonly credentials: SensePassCredentials;
  /** Keep trying to cancel while the payment is still pending (the deadline policy was cancel, or the POS left). */
  readonly cancelPending: boolean;
  /** The wait's own cancel was already accepted (so a later status 9 counts as cancelled by the gateway). */
  readonly cancelAccepted?: boolean | undefined;
  /** Called once with the final result (reason 'final'). */
  readonly onSettled: (result: AwaitResult) => void;
  /** Called once if attempts ran out before a final status (the entry stays UNKNOWN until the next recovery). */
  readonly onGaveUp?: ((last: TransactionEntity | undefined) => void) | undefined;
}

export interface ReconcilerOptions {
  readonly api: PaymentApi;
  readonly logger: Logger;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxAttempts?: number;
}

export interface Reconciler {
  /** Starts (or joins) reconciling this payment. */
  reconcile(job: ReconcileJob): void;
  stats(): { readonly jobs: number; readonly timers: number };
  /** Stops every job without calling back (they are picked up again by recovery). */
  close(): void;
}

interface Running {
  readonly transactionNumber: string;
  readonly credentials: SensePassCredentials;
  cancelPending: boolean;
  cancelAccepted: boolean;
  attempts: number;
  last: TransactionEntity | undefined;
  timer: NodeJS.Timeout | undefined;
  readonly settled: ((r: AwaitResult) => void)[];
  readonly gaveUp: ((last: TransactionEntity | undefined) => void)[];
}

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const { api, logger: log } = options;
  const minDelay = options.minDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 40;
  const jobs = new Map<string, Running>();
  let closed = false;

  function schedule(job: Running): void {
    const delay = Math.min(maxDelay, minDelay * 2 ** Math.min(job.attempts, 20));
    job.timer = setTimeout(() => {
      job.timer = undefined;
      void attempt(job);
    }, delay);
  }

  async function attempt(job: Running): Promise<void> {
    job.attempts += 1;
    try {
      const entity = await api.getTransaction(job.transactionNumber, job.credentials);
      job.last = entity;
      const outcome = outcomeOf(entity.status);
      if (outcome !== undefined) return finish(job, outcome, entity);
      if (job.cancelPending) {
        const res = await api.cancel(job.transactionNumber, job.credentials);
        if (res.kind === 'cancelled') job.cancelAccepted = true;
        job.cancelPending = false; // accepted, or too late because the consumer is paying: stop asking
      }
    } catch (err) {
      log.warn({ transactionNumber: job.transactionNumber, attempt: job.attempts, code: isGatewayError(err) ? err.code : 'error' }, 'reconcile read failed');
    }
    if (closed || jobs.get(job.transactionNumber) !== job) return;
    if (job.attempts >= maxAttempts) {
      jobs.delete(job.transactionNumber);
      log.error({ transactionNumber: job.transactionNumber, attempts: job.attempts }, 'reconcile gave up; outcome stays UNKNOWN until recovery');
      for (const cb of job.gaveUp) cb(job.last);
      return;
    }
    schedule(job);
  }

  function finish(job: Running, outcome: NonNullable<ReturnType<typeof outcomeOf>>, entity: TransactionEntity): void {
    if (jobs.get(job.transactionNumber) !== job) return;
    jobs.delete(job.transactionNumber);
    const result: AwaitResult = {
      outcome,
      transaction: entity,
      cancelledByGateway: job.cancelAccepted && entity.status === TxStatus.TransactionCancel,
      reason: 'final',
    };
    log.info({ transactionNumber: job.transactionNumber, outcome, attempts: job.attempts }, 'reconciled');
    for (const cb of job.settled) {
      try {
        cb(result);
      } catch (err) {
        log.error({ err, transactionNumber: job.transactionNumber }, 'onSettled failed');
      }
    }
  }

  return {
    reconcile(job) {
      if (closed) return;
      const existing = jobs.get(job.transactionNumber);
      if (existing !== undefined) {
        existing.cancelPending ||= job.cancelPending;
        existing.cancelAccepted ||= job.cancelAccepted === true;
        existing.settled.push(job.onSettled);
        if (job.onGaveUp !== undefined) existing.gaveUp.push(job.onGaveUp);
        return;
      }
      const running: Running = {
        transactionNumber: job.transactionNumber,
        credentials: job.credentials,
        cancelPending: job.cancelPending,
        cancelAccepted: job.cancelAccepted === true,
        attempts: 0,
        last: undefined,
        timer: undefined,
        settled: [job.onSettled],
        gaveUp: job.onGaveUp === undefined ? [] : [job.onGaveUp],
      };
      jobs.set(job.transactionNumber, running);
      schedule(running);
    },
    stats() {
      let timers = 0;
      for (const j of jobs.values()) if (j.timer !== undefined) timers += 1;
      return { jobs: jobs.size, timers };
    },
    close() {
      closed = true;
      for (const j of jobs.values()) if (j.timer !== undefined) clearTimeout(j.timer);
      jobs.clear();
    },
  };
}
