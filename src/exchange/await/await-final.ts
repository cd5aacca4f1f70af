// The await step: wait for a payment's final status. Notifications (socket, callback) only trigger a REST read;
// the REST status is the truth: a signed callback is evidence, never an answer (without an agreeing read: UNKNOWN).
// At the deadline (or when the POS leaves) the ladder runs: re-read → cancel → re-read.
import { isGatewayError } from '../../errors.js';
import type { CancelResult } from '../call/payment-api.js';
import { TxStatus, isFinalStatus, outcomeOf, type TransactionEntity } from '../call/transaction.js';
import type { AwaitDeps, AwaitReason, AwaitRequest, AwaitResult } from './await-types.js';
import type { NotificationSource, WatchHandle, WatchListener } from './status-watcher.js';

export type { AwaitDeps, AwaitReason, AwaitRequest, AwaitResult } from './await-types.js';

/** Longest the ladder itself may take before it answers UNKNOWN and leaves the rest to the reconciler. */
const LADDER_BUDGET_MS = 15_000;
/** A final hint whose confirming read still shows pending is re-checked at most this many times. */
const CONFIRM_RECHECKS = [500, 1_000, 2_000];

export function awaitFinal(req: AwaitRequest, deps: AwaitDeps): Promise<AwaitResult> {
  return new AwaitRun(req, deps).start();
}

type Phase = 'waiting' | 'ladder' | 'done';

class AwaitRun {
  readonly #req: AwaitRequest;
  readonly #deps: AwaitDeps;
  #phase: Phase = 'waiting';
  #resolve: (r: AwaitResult) => void = () => undefined;
  #handle: WatchHandle | undefined;
  #deadlineTimer: NodeJS.Timeout | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;
  #rechecks = 0;
  /** Aborts reads in flight when the waiting phase ends, so nothing outlives the wait. */
  readonly #waitCtl = new AbortController();
  #reading = false;
  #readAgain = false;
  #finalHint = false;
  /** Wakes a grace-period sleep of the ladder early (a notification arrived). */
  #wake: (() => void) | undefined;

  constructor(req: AwaitRequest, deps: AwaitDeps) {
    this.#req = req;
    this.#deps = deps;
  }

  start(): Promise<AwaitResult> {
    return new Promise<AwaitResult>((resolve) => {
      this.#resolve = resolve;
      const { initial, signal } = this.#req;
      if (initial !== undefined && isFinalStatus(initial.status) && signal?.aborted !== true) {
        this.#finish(initial, 'final', false); // the init answer is itself a REST read
        return;
      }
      if (signal?.aborted === true) {
        void this.#ladder('abort', initial);
        return;
      }
      this.#handle = this.#deps.watcher.watch(this.#req.transactionNumber, this.#listener, { deviceId: this.#req.deviceId });
      signal?.addEventListener('abort', this.#onAbort, { once: true });
      const now = this.#deps.now ?? Date.now;
      const delay = Math.min(2_147_000_000, Math.max(0, this.#req.deadlineAt - now()));
      this.#deadlineTimer = setTimeout(() => void this.#ladder('deadline', initial), delay);
    });
  }

  readonly #onAbort = (): void => void this.#ladder('abort', undefined);

  readonly #listener: WatchListener = {
    // Whatever the source (socket or signed callback), the entity is only a hint: its status is never used as the answer.
    onEntity: (entity: TransactionEntity, _source: NotificationSource) => {
      if (!isFinalStatus(entity.status)) return; // pending statuses need no read (SensePass asks not to poll)
      if (this.#phase === 'ladder') return this.#wake?.();
      this.#finalHint = true;
      this.#read();
    },
    onResync: () => {
      if (this.#phase === 'ladder') return this.#wake?.();
      this.#read();
    },
  };

  /** One REST read at a time; a request while one is in flight makes it read once more afterwards. */
  #read(): void {
    if (this.#phase !== 'waiting') return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    void (async () => {
      try {
        do {
          this.#readAgain = false;
          try {
            const entity = await this.#deps.api.getTransaction(this.#req.transactionNumber, this.#req.credentials, { signal: this.#waitCtl.signal });
            if (this.#phase !== 'waiting') return;
            if (isFinalStatus(entity.status)) return this.#finish(entity, 'final', false);
            if (this.#finalHint) this.#scheduleRecheck();
          } catch (err) {
            if (this.#phase !== 'waiting') return;
            this.#deps.logger.debug({ transactionNumber: this.#req.transactionNumber, code: isGatewayError(err) ? err.code : 'error' }, 'status read failed');
            // The truth cannot be read now: a final hint is re-checked a bounded number of times, then the deadline
            // ladder decides (UNKNOWN unless a read agrees). A callback never stands in for the read.
            if (this.#finalHint) this.#scheduleRecheck();
          }
        } while (this.#readAgain && this.#phase === 'waiting');
      } finally {
        this.#reading = false;
      }
    })();
  }

  /** A notification said final but the read did not (yet): look again shortly, a bounded number of times. */
  #scheduleRecheck(): void {
    const delay = CONFIRM_RECHECKS[this.#rechecks];
    if (delay === undefined || this.#recheckTimer !== undefined) return;
    this.#rechecks += 1;
    this.#recheckTimer = setTimeout(() => {
      this.#recheckTimer = undefined;
      this.#read();
    }, delay);
  }

  async #ladder(kind: 'deadline' | 'abort', initial: TransactionEntity | undefined): Promise<void> {
    if (this.#phase !== 'waiting') return;
    this.#phase = 'ladder';
    this.#stopWaiting();
    const aborted = kind === 'abort';
    const budget = new AbortController();
    const budgetTimer = setTimeout(() => budget.abort(), LADDER_BUDGET_MS);
    try {
      let entity = (await this.#safeRead(budget.signal)) ?? initial;
      if (entity !== undefined && isFinalStatus(entity.status)) return this.#finish(entity, aborted ? 'client-aborted' : 'final', false);
      if (!aborted && this.#req.onDeadline === 'none') return this.#unknown('deadline-unknown', entity, undefined);
      const cancel = await this.#safeCancel(budget.signal);
      entity = (await this.#safeRead(budget.signal)) ?? entity;
      if (cancel?.kind === 'too-late' && (entity === undefined || !isFinalStatus(entity.status))) {
        entity = (await this.#grace(budget.signal)) ?? entity; // the consumer is paying right now: give it a moment
      }
      if (entity !== undefined && isFinalStatus(entity.status)) {
        const cancelled = cancel?.kind === 'cancelled' && entity.status === TxStatus.TransactionCancel;
        return this.#finish(entity, aborted ? 'client-aborted' : cancelled ? 'deadline-cancelled' : 'final', cancelled);
      }
      return this.#unknown(aborted ? 'client-aborted' : 'deadline-unknown', entity, cancel);
    } finally {
      clearTimeout(budgetTimer);
    }
  }

  async #safeRead(signal: AbortSignal): Promise<TransactionEntity | undefined> {
    if (signal.aborted) return undefined;
    try {
      return await this.#deps.api.getTransaction(this.#req.transactionNumber, this.#req.credentials, { signal });
    } catch (err) {
      this.#deps.logger.warn({ transactionNumber: this.#req.transactionNumber, code: isGatewayError(err) ? err.code : 'aborted' }, 'deadline status read failed');
      return undefined;
    }
  }

  async #safeCancel(signal: AbortSignal): Promise<CancelResult | undefined> {
    if (signal.aborted) return undefined;
    try {
      const res = await this.#deps.api.cancel(this.#req.transactionNumber, this.#req.credentials, { signal });
      this.#deps.logger.info({ transactionNumber: this.#req.transactionNumber, cancel: res.kind }, 'cancel requested');
      return res;
    } catch (err) {
      this.#deps.logger.warn({ transactionNumber: this.#req.transactionNumber, code: isGatewayError(err) ? err.code : 'aborted' }, 'cancel failed');
      return undefined;
    }
  }

  /** After a too-late cancel: re-read with growing pauses (woken early by notifications) for tooLateGraceMs. */
  async #grace(signal: AbortSignal): Promise<TransactionEntity | undefined> {
    const now = this.#deps.now ?? Date.now;
    const until = now() + (this.#deps.tooLateGraceMs ?? 5_000);
    let pause = 250;
    let last: TransactionEntity | undefined;
    while (!signal.aborted && now() < until) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(pause, Math.max(0, until - now())));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
      pause *= 2;
      last = (await this.#safeRead(signal)) ?? last;
      if (last !== undefined && isFinalStatus(last.status)) return last;
    }
    return last;
  }

  #unknown(reason: AwaitReason, entity: TransactionEntity | undefined, cancel: CancelResult | undefined): void {
    const { reconciler } = this.#deps;
    const { onSettled, transactionNumber, credentials, onDeadline } = this.#req;
    this.#finishWith({ outcome: 'UNKNOWN', transaction: entity, cancelledByGateway: false, reason });
    reconciler?.reconcile({
      transactionNumber,
      credentials,
      // Cancelling is still wanted if it was the policy (or the POS left) and no cancel answer arrived.
      cancelPending: (reason === 'client-aborted' || onDeadline === 'cancel') && cancel === undefined,
      cancelAccepted: cancel?.kind === 'cancelled',
      onSettled: onSettled ?? (() => undefined),
    });
  }

  #finish(entity: TransactionEntity, reason: AwaitReason, cancelledByGateway: boolean): void {
    const outcome = outcomeOf(entity.status) ?? 'UNKNOWN';
    this.#finishWith({ outcome, transaction: entity, cancelledByGateway, reason });
  }

  #finishWith(result: AwaitResult): void {
    if (this.#phase === 'done') return;
    this.#phase = 'done';
    this.#stopWaiting();
    this.#handle?.close();
    this.#handle = undefined;
    this.#deps.logger.info({ transactionNumber: this.#req.transactionNumber, outcome: result.outcome, reason: result.reason }, 'await ended');
    this.#resolve(result);
  }

  /** Releases the timers, listeners and reads in flight of the waiting phase (the subscription stays for the ladder). */
  #stopWaiting(): void {
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    if (this.#recheckTimer !== undefined) clearTimeout(this.#recheckTimer);
    this.#deadlineTimer = undefined;
    this.#recheckTimer = undefined;
    this.#req.signal?.removeEventListener('abort', this.#onAbort);
    this.#waitCtl.abort();
  }
}
