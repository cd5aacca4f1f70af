// The reconcile path: an exchange the journal already holds unfinished (restart, UNKNOWN, lost answer) is brought
// to its final answer — the same request again gets the definitive outcome, never a second payment.
import { isGatewayError } from '../errors.js';
import { findSecretKey, reconcileOne, type RecoveryDeps } from '../journal/index.js';
import { awaitFinal, type AwaitResult } from './await/index.js';
import type { Outcome, TransactionEntity } from './call/transaction.js';
import { toStored } from './deliver.js';
import type { Exchange, StoredReply } from './exchange.js';
import type { ExchangeDeps } from './exchange-deps.js';
import { commitLinkOf } from './execute-call.js';
import { callResult, type Prepared } from './prepared.js';

export async function settleExisting(p: Prepared, exchange: Exchange, deps: ExchangeDeps): Promise<StoredReply> {
  let current = exchange;
  let resumed = false;
  if (!(OUTCOME_KNOWN.has(current.state) && current.transactionNumber !== undefined)) {
    try {
      const result = await reconcileOne(deps.journal, current, recoveryDeps(deps));
      current = result.exchange;
      resumed = result.kind === 'resumed';
    } catch (err) {
      deps.logger.warn({ exchangeId: current.id, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'reconcile failed; outcome still unknown');
      return unknownReply(p, current, undefined, deps);
    }
  }
  if (current.state === 'REJECTED' && current.reply !== undefined) return current.reply; // proven never created
  const transactionNumber = current.transactionNumber;
  if (transactionNumber === undefined) return unknownReply(p, current, undefined, deps);
  const credentials = deps.credentialsFor(p.message.identity);

  let outcome: Outcome | undefined = current.outcome;
  let entity: TransactionEntity | undefined;
  if (resumed) {
    // Still pending at SensePass: wait again within this request's own deadline, with the same ladder.
    const deadlineAt = deps.now() + (p.plan.await?.deadlineMs ?? 0);
    await deps.journal.advance(current.id, { state: 'AWAITING', deadlineAt });
    const result = await awaitFinal(
      {
        transactionNumber,
        credentials,
        deviceId: deps.socketMode === 'device' ? credentials.deviceId : undefined,
        deadlineAt,
        onDeadline: p.plan.await?.onDeadline ?? 'cancel',
        signal: p.message.signal,
        onSettled: (settled) => void recordSettled(current.id, settled, deps),
      },
      { api: deps.api, watcher: deps.watcher, logger: deps.logger, reconciler: deps.reconciler, now: deps.now },
    );
    outcome = result.outcome;
    entity = result.transaction;
  } else {
    try {
      entity = await deps.api.getTransaction(transactionNumber, credentials);
    } catch {
      return unknownReply(p, current, undefined, deps);
    }
  }
  if (outcome === undefined || outcome === 'UNKNOWN') {
    if (current.state !== 'UNKNOWN') await deps.journal.advance(current.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' });
    return unknownReply(p, current, entity, deps);
  }
  const reply = toStored(
    await p.mapping.reply(p.input, callResult(p, { outcome, transaction: entity, response: entity })),
  );
  const stored = storable(reply) ? { reply } : {};
  if (!OUTCOME_KNOWN.has(current.state)) {
    const link = current.commitLink === undefined ? commitLinkOf(outcome, entity) : {};
    await deps.journal.advance(current.id, { state: 'FINAL', outcome, ...stored, ...link });
  } else if (current.state === 'FINAL' && current.reply === undefined) {
    await deps.journal.advance(current.id, { state: 'FINAL', ...stored });
  }
  return reply;
}

/** States in which SensePass's final outcome is already recorded. */
const OUTCOME_KNOWN: ReadonlySet<string> = new Set(['FINAL', 'REPLIED', 'COMMITTED']);

/**
 * A reply carrying card data (e.g. a Tokenize reply with its card token) is never journaled: only its outcome is,
 * and a repeat re-renders the reply from SensePass's entity.
 */
export function storable(reply: StoredReply): boolean {
  return findSecretKey(reply) === undefined;
}

/** The mapping's UNKNOWN answer; never stored as replayable, so the next repeat reconciles again. */
export async function unknownReply(p: Prepared, exchange: Exchange, entity: TransactionEntity | undefined, deps: ExchangeDeps): Promise<StoredReply> {
  deps.logger.info({ exchangeId: exchange.id }, 'answering UNKNOWN; the same request again gets the final outcome');
  return toStored(
    await p.mapping.reply(p.input, callResult(p, { outcome: 'UNKNOWN', transaction: entity, response: entity })),
  );
}

/**
 * A stored approval whose first reply never reached the POS was never committed, so SensePass reverses it when the
 * commit window ends ([GAP] in the reference; the simulator moves it off status 5). Before replaying such an approval,
 * read the truth: if the payment is no longer approved the POS is told it was not charged, never a stale APPROVED.
 */
export async function recheckUndelivered(p: Prepared, exchange: Exchange, reply: StoredReply, deps: ExchangeDeps): Promise<StoredReply> {
  if (exchange.state !== 'FINAL' || exchange.outcome !== 'APPROVED' || exchange.transactionNumber === undefined) return reply;
  let entity: TransactionEntity;
  try {
    entity = await deps.api.getTransaction(exchange.transactionNumber, deps.credentialsFor(p.message.identity));
  } catch {
    return reply; // cannot read now: the stored answer stands, and delivery will try the commit
  }
  if (entity.status === 5) return reply;
  deps.logger.warn({ exchangeId: exchange.id, status: entity.status }, 'undelivered approval was reversed by SensePass; answering not charged');
  const fresh = toStored(
    await p.mapping.reply(p.input, callResult(p, { outcome: 'CANCELLED', transaction: entity, response: entity })),
  );
  await deps.journal.advance(exchange.id, { state: 'FINAL', outcome: 'CANCELLED', ...(storable(fresh) ? { reply: fresh } : {}) });
  return fresh;
}

/** The background reconciler learned the final status of a wait that ended UNKNOWN: record it for the next repeat. */
export async function recordSettled(exchangeId: string, result: AwaitResult, deps: ExchangeDeps): Promise<void> {
  try {
    const current = await deps.journal.get(exchangeId);
    // CALLING: the write of AWAITING failed (journal briefly unavailable) while the wait went on.
    if (current === undefined || !['UNKNOWN', 'AWAITING', 'RESOLVING', 'CALLING'].includes(current.state)) return;
    if (result.outcome === 'UNKNOWN') return;
    const transactionNumber = current.transactionNumber === undefined ? result.transaction?.TransactionNumber : undefined;
    await deps.journal.advance(exchangeId, {
      state: 'FINAL',
      outcome: result.outcome,
      ...(transactionNumber === undefined ? {} : { transactionNumber }),
      ...commitLinkOf(result.outcome, result.transaction),
    });
    deps.logger.info({ exchangeId, outcome: result.outcome }, 'background reconciliation recorded the final outcome');
  } catch (err) {
    deps.logger.error({ exchangeId, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'could not record a reconciled outcome');
  }
}

export function recoveryDeps(deps: ExchangeDeps): RecoveryDeps {
  return { api: deps.api, credentialsFor: deps.credentialsForScope, now: deps.now, logger: deps.logger };
}
