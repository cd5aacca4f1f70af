// Stage 2', reconcile (instead of call, for an entry the journal already holds unfinished: a restart, an UNKNOWN, a
// lost init answer): SensePass is asked what became of it, so the same request again gets the definitive outcome,
// never a second payment.
import { gwError, isGatewayError } from '../../errors.js';
import { reconcileOne, type RecoveryDeps } from '../../journal/index.js';
import type { Outcome, TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import { awaitAgain } from './await.js';
import type { Prepared } from './prepare.js';
import { OUTCOME_KNOWN, type Learned } from './settle.js';

export async function reconcile(p: Prepared, exchange: Exchange, deps: ExchangeDeps): Promise<{ exchange: Exchange; learned: Learned }> {
  let current = exchange;
  let resumed = false;
  if (!(OUTCOME_KNOWN.has(current.state) && current.transactionNumber !== undefined)) {
    try {
      const result = await reconcileOne(deps.journal, current, recoveryDeps(deps));
      current = result.exchange;
      resumed = result.kind === 'resumed';
    } catch (err) {
      deps.logger.warn({ exchangeId: current.id, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'reconcile failed; outcome still unknown');
      return { exchange: current, learned: { kind: 'unknown', transaction: undefined, mark: false } };
    }
  }
  // Proven never created (the gatewayKey lookup found nothing): not final, the POS is told to send it again.
  if (current.state === 'NOT_CREATED') return { exchange: current, learned: { kind: 'not-created', error: gwError('GW_UPSTREAM_UNAVAILABLE') } };
  const transactionNumber = current.transactionNumber;
  if (transactionNumber === undefined) return { exchange: current, learned: { kind: 'unknown', transaction: undefined, mark: false } };

  let outcome: Outcome | undefined = current.outcome;
  let entity: TransactionEntity | undefined;
  if (resumed) {
    // Still pending at SensePass: wait again within this request's own deadline, with the same ladder.
    const result = await awaitAgain(p, current, transactionNumber, deps);
    outcome = result.outcome;
    entity = result.transaction;
    current = (await deps.journal.get(current.id)) ?? current;
  } else {
    try {
      entity = await deps.api.getTransaction(transactionNumber, deps.credentialsFor(p.message.identity));
    } catch {
      return { exchange: current, learned: { kind: 'unknown', transaction: undefined, mark: false } };
    }
  }
  if (outcome === undefined || outcome === 'UNKNOWN') {
    const mark = current.state !== 'UNKNOWN' && !OUTCOME_KNOWN.has(current.state);
    return { exchange: current, learned: { kind: 'unknown', transaction: entity, mark } };
  }
  return { exchange: current, learned: { kind: 'answered', outcome, transaction: entity, response: entity, httpStatus: undefined } };
}

export function recoveryDeps(deps: ExchangeDeps): RecoveryDeps {
  return { api: deps.api, credentialsFor: deps.credentialsForScope, now: deps.now, logger: deps.logger };
}
