// The run path of a new exchange: the upstream call, the wait for a final status, the stored reply.
import { gwError, isGatewayError, toGatewayError, type GatewayError } from '../errors.js';
import { GATEWAY_KEY_FIELD, gatewayKeyOf, type ExchangePatch } from '../journal/index.js';
import { awaitFinal } from './await/index.js';
import type { UpstreamCall } from './call/payment-api.js';
import { outcomeOf, type Outcome, type TransactionEntity } from './call/transaction.js';
import { toStored } from './deliver.js';
import type { Exchange, StoredReply } from './exchange.js';
import type { ExchangeDeps } from './exchange-deps.js';
import { callResult, isInit, type Prepared } from './prepared.js';
import { recordSettled, settleExisting, storable, unknownReply } from './settle-existing.js';

/** Errors after which a payment call may still have been carried out by SensePass. */
const AMBIGUOUS: ReadonlySet<string> = new Set(['GW_UPSTREAM_TIMEOUT', 'GW_UPSTREAM_UNAVAILABLE', 'GW_UPSTREAM_BAD_RESPONSE']);

export async function executeCall(p: Prepared, exchange: Exchange, deps: ExchangeDeps): Promise<StoredReply> {
  const credentials = deps.credentialsFor(p.message.identity);
  const call = upstreamCall(p, exchange, deps);
  const init = isInit(p.plan);
  if (init && deps.socketMode === 'device' && credentials.deviceId !== undefined) {
    await deps.watcher.ensureDevice(credentials.deviceId); // device mode subscribes before the payment exists
  }
  await deps.journal.advance(exchange.id, { state: 'CALLING' });

  let response: unknown;
  let httpStatus: number | undefined;
  let entity: TransactionEntity | undefined;
  try {
    // No abort signal here: if the POS leaves during init we still need the number to cancel the payment.
    if (init) {
      entity = await deps.api.init(call.body ?? {}, credentials);
      response = entity;
    } else {
      const answer = await deps.api.request(call, credentials);
      response = answer.body;
      httpStatus = answer.status;
    }
  } catch (err) {
    const error = toGatewayError(err);
    if (p.plan.createsPayment && AMBIGUOUS.has(error.code)) {
      // SensePass may have created the payment: never answer "not charged" without proof.
      deps.logger.warn({ exchangeId: exchange.id, code: error.code }, 'payment call failed ambiguously; reconciling');
      const unknown = await deps.journal.advance(exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' });
      return settleExisting(p, unknown, deps);
    }
    return reject(p, exchange, error, deps);
  }

  let outcome: Outcome | undefined;
  let transaction = entity;
  if (p.plan.await !== undefined && entity !== undefined) {
    const recorded = await journalWrite(deps, exchange.id, { state: 'AWAITING', transactionNumber: entity.TransactionNumber });
    // Fail closed: a payment the journal cannot track is cancelled at once (the abort ladder), not left open for
    // the consumer to pay while nothing could commit it or answer a retry.
    const signal = recorded ? p.message.signal : AbortSignal.abort(gwError('GW_JOURNAL_UNAVAILABLE'));
    const result = await awaitFinal(
      {
        transactionNumber: entity.TransactionNumber,
        credentials,
        deviceId: deps.socketMode === 'device' ? credentials.deviceId : undefined,
        deadlineAt: exchange.deadlineAt,
        onDeadline: p.plan.await.onDeadline,
        signal,
        initial: entity,
        onSettled: (settled) => void recordSettled(exchange.id, settled, deps),
      },
      { api: deps.api, watcher: deps.watcher, logger: deps.logger, reconciler: deps.reconciler, now: deps.now },
    );
    outcome = result.outcome;
    transaction = result.transaction ?? entity;
  }
  const build = await p.mapping.reply(p.input, callResult(p, { outcome, transaction, response, httpStatus }));
  const reply = toStored(build);
  const finalOutcome = outcome ?? (reply.kind === 'reply' ? reply.outcome : undefined);
  const settledTx = transaction ?? embeddedEntity(response);
  if (finalOutcome === 'UNKNOWN') {
    // Not replayable: a repeat reconciles and gets the final answer once SensePass has one.
    await journalWrite(deps, exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN', ...numberOf(settledTx, response) });
    return reply;
  }
  const commitLink = commitLinkOf(finalOutcome, settledTx);
  const recorded = await journalWrite(deps, exchange.id, {
    state: 'FINAL',
    ...(storable(reply) ? { reply } : {}),
    ...(finalOutcome === undefined ? {} : { outcome: finalOutcome }),
    ...numberOf(settledTx, response),
    ...commitLink,
  });
  // An approval the journal could not record can never be committed after delivery (SensePass would reverse it),
  // so the POS is told to ask again — the retry reconciles, answers APPROVED and commits. Any other outcome needs
  // no commit and is answered as it is.
  if (!recorded && commitLink.commitLink !== undefined) return unknownReply(p, exchange, settledTx, deps);
  return reply;
}

/**
 * A journal write after the payment exists upstream. GW_JOURNAL_UNAVAILABLE is not thrown from here: the POS would
 * read it as "no payment was started", which is false now. false = not written (the entry keeps its last state,
 * which a retry or recovery reconciles with SensePass).
 */
async function journalWrite(deps: ExchangeDeps, exchangeId: string, patch: ExchangePatch): Promise<boolean> {
  try {
    await deps.journal.advance(exchangeId, patch);
    return true;
  } catch (err) {
    if (!isGatewayError(err, 'GW_JOURNAL_UNAVAILABLE')) throw err;
    deps.logger.error({ exchangeId, state: patch.state }, 'journal write failed after the payment was created');
    return false;
  }
}

function upstreamCall(p: Prepared, exchange: Exchange, deps: ExchangeDeps): UpstreamCall {
  const call = p.plan.call as UpstreamCall;
  if (!p.plan.createsPayment) return call;
  // The key travels in posData so an operator (and recovery) can correlate both sides.
  const body: Record<string, unknown> = { ...(call.body ?? {}) };
  const posData = body.posData;
  const base = typeof posData === 'object' && posData !== null && !Array.isArray(posData) ? posData : posData === undefined ? {} : { pos: posData };
  body.posData = { ...base, [GATEWAY_KEY_FIELD]: gatewayKeyOf(exchange.scope, exchange.key) };
  if (isInit(p.plan)) Object.assign(body, deps.initExtras);
  return { ...call, body };
}

async function reject(p: Prepared, exchange: Exchange, error: GatewayError, deps: ExchangeDeps): Promise<StoredReply> {
  const reply = toStored(await p.mapping.reply(p.input, callResult(p, { error })));
  await deps.journal.advance(exchange.id, { state: 'REJECTED', reply });
  return reply;
}

/** /transactions/pay answers with an envelope that carries the entity as `transaction` (simulator) or not at all. */
function embeddedEntity(response: unknown): TransactionEntity | undefined {
  const tx = (response as { transaction?: unknown } | undefined)?.transaction;
  return typeof tx === 'object' && tx !== null && typeof (tx as TransactionEntity).TransactionNumber === 'string' ? (tx as TransactionEntity) : undefined;
}

function numberOf(tx: TransactionEntity | undefined, response: unknown): { transactionNumber?: string } {
  const n = tx?.TransactionNumber ?? (response as { transactionNumber?: unknown } | undefined)?.transactionNumber;
  return typeof n === 'string' && n !== '' ? { transactionNumber: n } : {};
}

export function commitLinkOf(outcome: string | undefined, tx: TransactionEntity | undefined): { commitLink?: string } {
  const commit = tx?.paymentCommit;
  if (outcome !== 'APPROVED' || tx === undefined || outcomeOf(tx.status) !== 'APPROVED') return {};
  return typeof commit?.commitLink === 'string' && commit.isPaymentCommitted !== true ? { commitLink: commit.commitLink } : {};
}
