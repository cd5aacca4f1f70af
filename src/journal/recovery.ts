// After a crash or restart, every unfinished exchange is settled with SensePass (the truth) before the gateway is ready.
import type { SensePassCredentials } from '../config.js';
import type { PaymentApi } from '../exchange/call/payment-api.js';
import { outcomeOf, type TransactionEntity } from '../exchange/call/transaction.js';
import type { Exchange } from '../exchange/exchange.js';
import { gwError, toGatewayError, type GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { findLostPayments } from './find-lost-payment.js';
import { stripSecrets } from './strip-secrets.js';
import type { Journal } from './journal.js';

export interface RecoveryDeps {
  readonly api: PaymentApi;
  credentialsFor(scope: string): SensePassCredentials | undefined;
  readonly now: () => number;
  readonly logger: Logger;
  /** Entries reconciled at once (each costs a few SensePass calls; default 4). */
  readonly concurrency?: number;
  /** Slack around the exchange's time window when listing transactions (default 10 min). */
  readonly windowMarginMs?: number;
  /** Aborted when the gateway stops during recovery: no further entry is started (the ones left stay unfinished). */
  readonly signal?: AbortSignal;
}

/** context[RECOVERY_CONTEXT_KEY]: recovery, not a live request, decided this outcome. */
export const RECOVERY_CONTEXT_KEY = 'recovery';

/** Context key the runner sets to 'posData' when the call carries posData.gatewayKey (only /transactions/init). */
export const FIND_BY_CONTEXT_KEY = 'findBy';

/**
 * The reply for a recovered outcome was never delivered to the POS, so the payment is NOT committed: SensePass
 * reverses an uncommitted approval after its commit window instead of leaving a charge the POS never heard of.
 */
export interface RecoveryMarker {
  readonly at: number;
  readonly replyDelivered: false;
  /** status: final on first read; cancel: cancelled at the deadline then re-read; not-created: no such payment. */
  readonly via: 'status' | 'cancel' | 'not-created';
}

export type ReconcileResult =
  /** Settled in the journal: SETTLED with an outcome, or NOT_CREATED (proven never created: a retry tries afresh). */
  | { readonly kind: 'reconciled'; readonly exchange: Exchange }
  /** Still pending at SensePass: the caller resumes awaiting its final status (before or after the deadline). */
  | { readonly kind: 'resumed'; readonly exchange: Exchange };

export interface RecoverySummary {
  readonly reconciled: Exchange[];
  readonly resumed: Exchange[];
  /** Left unfinished (SensePass unreachable, no credentials, ambiguous match); a later run retries them. */
  readonly failed: { readonly exchange: Exchange; readonly error: GatewayError }[];
}

/** Reconciles every unfinished entry. Idempotent: a second run sees only what the first could not settle. */
export async function reconcileUnfinished(journal: Journal, deps: RecoveryDeps): Promise<RecoverySummary> {
  const queue = await journal.unfinished();
  const summary: RecoverySummary = { reconciled: [], resumed: [], failed: [] };
  const worker = async (): Promise<void> => {
    for (let exchange = queue.shift(); exchange !== undefined && deps.signal?.aborted !== true; exchange = queue.shift()) {
      try {
        const result = await reconcileOne(journal, exchange, deps);
        (result.kind === 'reconciled' ? summary.reconciled : summary.resumed).push(result.exchange);
      } catch (err) {
        const error = toGatewayError(err);
        deps.logger.error({ exchangeId: exchange.id, state: exchange.state, code: error.code }, 'recovery: exchange left unfinished');
        summary.failed.push({ exchange, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
  deps.logger.info(
    { reconciled: summary.reconciled.length, resumed: summary.resumed.length, failed: summary.failed.length },
    'recovery: unfinished exchanges reconciled',
  );
  return summary;
}

/**
 * One exchange: read its status (finding it by gateway key first if the init answer was lost); final → record it;
 * pending past the deadline → cancel, re-read, record (or UNKNOWN and resume); pending before it → resume.
 * Throws (a GatewayError) when SensePass cannot tell; the entry is then left as it was.
 */
export async function reconcileOne(journal: Journal, exchange: Exchange, deps: RecoveryDeps): Promise<ReconcileResult> {
  const credentials = deps.credentialsFor(exchange.scope);
  if (credentials === undefined) throw gwError('GW_AUTH_NO_CREDENTIALS');
  let current = exchange;
  let transactionNumber = exchange.transactionNumber;
  if (transactionNumber === undefined) {
    // JOURNALED: the runner moves to CALLING before any upstream call, so nothing was sent: not created.
    if (exchange.state === 'JOURNALED') return notCreated(journal, exchange, deps);
    // Only /transactions/init carries posData.gatewayKey; any other call (pay, refund, credit…) cut off mid-flight
    // cannot be proven absent, so it stays UNKNOWN for a person rather than being reported "not charged".
    if (exchange.context[FIND_BY_CONTEXT_KEY] !== 'posData') {
      if (exchange.state !== 'UNKNOWN') await journal.advance(exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' });
      deps.logger.error({ exchangeId: exchange.id, mappingId: exchange.mappingId }, 'recovery: call was cut off and cannot be looked up; outcome unknown');
      throw gwError('GW_OUTCOME_UNKNOWN');
    }
    const { found, complete } = await findLostPayments(deps.api, credentials, exchange, {
      now: deps.now,
      ...(deps.windowMarginMs === undefined ? {} : { windowMarginMs: deps.windowMarginMs }),
    });
    if (found.length === 0 && complete) return notCreated(journal, exchange, deps);
    const only = found[0];
    if (found.length !== 1 || only === undefined) {
      // Two payments with one key must never happen; zero with an incomplete scan proves nothing. A human decides.
      deps.logger.error({ exchangeId: exchange.id, matches: found.length, complete }, 'recovery: cannot identify the payment');
      throw gwError('GW_UPSTREAM_BAD_RESPONSE');
    }
    transactionNumber = only.TransactionNumber;
    current = await journal.advance(exchange.id, { transactionNumber });
  }

  let entity = await deps.api.getTransaction(transactionNumber, credentials);
  if (outcomeOf(entity.status) !== undefined) return recordFinal(journal, current, entity, 'status', deps);
  if (deps.now() < current.deadlineAt) {
    const waiting = current.state === 'JOURNALED' || current.state === 'CALLING' ? await journal.advance(current.id, { state: 'AWAITING' }) : current;
    return { kind: 'resumed', exchange: waiting };
  }
  // Deadline ladder: cancel → re-read. A refused cancel (consumer is paying) is fine: the re-read tells.
  await deps.api.cancel(transactionNumber, credentials);
  entity = await deps.api.getTransaction(transactionNumber, credentials);
  if (outcomeOf(entity.status) !== undefined) return recordFinal(journal, current, entity, 'cancel', deps);
  const unknown = await journal.advance(current.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' });
  deps.logger.warn({ exchangeId: current.id, status: entity.status }, 'recovery: still pending after cancel; outcome unknown');
  return { kind: 'resumed', exchange: unknown };
}

async function recordFinal(
  journal: Journal,
  exchange: Exchange,
  entity: TransactionEntity,
  via: RecoveryMarker['via'],
  deps: RecoveryDeps,
): Promise<ReconcileResult> {
  const outcome = outcomeOf(entity.status);
  const marker: RecoveryMarker = { at: deps.now(), replyDelivered: false, via };
  const commitLink = entity.paymentCommit?.commitLink;
  const stripped = stripSecrets(entity);
  const done = await journal.advance(exchange.id, {
    state: 'SETTLED',
    ...(outcome === undefined ? {} : { outcome }),
    ...(commitLink === undefined ? {} : { commitLink }),
    result: { outcome, transaction: stripped.value, response: stripped.value, redacted: stripped.removed },
    context: { ...exchange.context, [RECOVERY_CONTEXT_KEY]: marker },
  });
  deps.logger.info({ exchangeId: exchange.id, outcome, via }, 'recovery: outcome recorded; reply not delivered, not committed');
  return { kind: 'reconciled', exchange: done };
}

/**
 * SensePass has no payment with this key: it was never created, so nothing was charged — and nothing is final either:
 * the same request again makes a fresh attempt under the same key (GW_UPSTREAM_UNAVAILABLE_RETRY until then).
 */
async function notCreated(journal: Journal, exchange: Exchange, deps: RecoveryDeps): Promise<ReconcileResult> {
  const marker: RecoveryMarker = { at: deps.now(), replyDelivered: false, via: 'not-created' };
  const done = await journal.advance(exchange.id, {
    state: 'NOT_CREATED',
    result: { error: { code: 'GW_UPSTREAM_UNAVAILABLE_RETRY', params: {} } },
    context: { ...exchange.context, [RECOVERY_CONTEXT_KEY]: marker },
  });
  deps.logger.info({ exchangeId: exchange.id }, 'recovery: payment was never created; the same request again tries afresh');
  return { kind: 'reconciled', exchange: done };
}
