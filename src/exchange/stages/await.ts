// Stage 3, await: the wait for SensePass's final status (AWAITING, RESOLVING inside awaitFinal's deadline ladder).
import { gwError } from '../../errors.js';
import { awaitFinal, type AwaitResult } from '../await/index.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { Prepared } from './prepare.js';
import { recordBackgroundOutcome, tryJournal } from './settle.js';

/** The first wait, right after init answered with the payment's entity. */
export async function awaitOutcome(p: Prepared, exchange: Exchange, entity: TransactionEntity, deps: ExchangeDeps): Promise<AwaitResult> {
  const recorded = await tryJournal(deps, exchange.id, { state: 'AWAITING', transactionNumber: entity.TransactionNumber });
  // Fail closed: a payment the journal cannot track is cancelled at once (the abort ladder), not left open for the
  // consumer to pay while nothing could commit it or answer a retry.
  const signal = recorded ? p.message.signal : AbortSignal.abort(gwError('GW_JOURNAL_UNAVAILABLE'));
  return waitFor(p, exchange.id, entity.TransactionNumber, exchange.deadlineAt, signal, entity, deps);
}

/** A payment reconcile found still pending at SensePass: wait again within this request's own deadline. */
export async function awaitAgain(p: Prepared, exchange: Exchange, transactionNumber: string, deps: ExchangeDeps): Promise<AwaitResult> {
  const deadlineAt = deps.now() + (p.plan.await?.deadlineMs ?? 0);
  await deps.journal.advance(exchange.id, { state: 'AWAITING', deadlineAt });
  return waitFor(p, exchange.id, transactionNumber, deadlineAt, p.message.signal, undefined, deps);
}

function waitFor(
  p: Prepared,
  exchangeId: string,
  transactionNumber: string,
  deadlineAt: number,
  signal: AbortSignal,
  initial: TransactionEntity | undefined,
  deps: ExchangeDeps,
): Promise<AwaitResult> {
  const credentials = deps.credentialsFor(p.message.identity);
  return awaitFinal(
    {
      transactionNumber,
      credentials,
      deviceId: deps.socketMode === 'device' ? credentials.deviceId : undefined,
      deadlineAt,
      onDeadline: p.plan.await?.onDeadline ?? 'cancel',
      signal,
      ...(initial === undefined ? {} : { initial }),
      // The wait ended UNKNOWN and the background reconciler learned the final status later: journal it for the retry.
      onSettled: (settled) => void recordBackgroundOutcome(exchangeId, settled, deps),
    },
    { api: deps.api, watcher: deps.watcher, logger: deps.logger, reconciler: deps.reconciler, now: deps.now },
  );
}
