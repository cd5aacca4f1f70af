// Stage 2, call: the one upstream call of a journaled exchange (CALLING), classified by what it proves about money.
import { toGatewayError, type GatewayError } from '../../errors.js';
import { GATEWAY_KEY_FIELD, gatewayKeyOf } from '../../journal/index.js';
import type { UpstreamCall } from '../call/payment-api.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import { isInit, type Prepared } from './prepare.js';

export type CallEnd =
  /** SensePass answered: init gives the entity; other calls their JSON body and HTTP status (entity undefined). */
  | { readonly kind: 'answered'; readonly entity: TransactionEntity | undefined; readonly response: unknown; readonly httpStatus: number | undefined }
  /** A payment call failed in a way SensePass may still have carried out: reconcile before answering anything. */
  | { readonly kind: 'ambiguous'; readonly error: GatewayError }
  /** Proven never sent (connection refused): nothing exists upstream, the same request again may try afresh. */
  | { readonly kind: 'not-created'; readonly error: GatewayError }
  /** SensePass refused it, or it moves no money: final for this request. */
  | { readonly kind: 'rejected'; readonly error: GatewayError };

/** Errors after which a payment call may still have been carried out by SensePass. */
const AMBIGUOUS: ReadonlySet<string> = new Set(['GW_UPSTREAM_TIMEOUT', 'GW_UPSTREAM_UNAVAILABLE', 'GW_UPSTREAM_BAD_RESPONSE']);

/** Moves the entry to CALLING, then calls. Throws only before the call (no credentials, journal write failed). */
export async function callUpstream(p: Prepared, journaled: Exchange, deps: ExchangeDeps): Promise<{ exchange: Exchange; end: CallEnd }> {
  const credentials = deps.credentialsFor(p.message.identity);
  const call = upstreamCall(p, journaled, deps);
  const init = isInit(p.plan);
  if (init && deps.socketMode === 'device' && credentials.deviceId !== undefined) {
    await deps.watcher.ensureDevice(credentials.deviceId); // device mode subscribes before the payment exists
  }
  const exchange = await deps.journal.advance(journaled.id, {
    state: 'CALLING',
    // A fresh attempt after NOT_CREATED waits within this request's own deadline, not the first attempt's.
    ...(journaled.state === 'NOT_CREATED' ? { deadlineAt: deps.now() + (p.plan.await?.deadlineMs ?? 0) } : {}),
  });
  try {
    // No abort signal here: if the POS leaves during init we still need the number to cancel the payment.
    if (init) {
      const entity = await deps.api.init(call.body ?? {}, credentials);
      return { exchange, end: { kind: 'answered', entity, response: entity, httpStatus: undefined } };
    }
    const answer = await deps.api.request(call, credentials);
    return { exchange, end: { kind: 'answered', entity: undefined, response: answer.body, httpStatus: answer.status } };
  } catch (err) {
    const error = toGatewayError(err);
    if (connectionRefused(error)) return { exchange, end: { kind: 'not-created', error } };
    if (p.plan.createsPayment && AMBIGUOUS.has(error.code)) return { exchange, end: { kind: 'ambiguous', error } };
    return { exchange, end: { kind: 'rejected', error } };
  }
}

/** An unkeyed read (no payment, no journal entry): the call's answer, or its error, for the mapping to render. */
export async function callUnjournaled(p: Prepared, deps: ExchangeDeps): Promise<{ response?: unknown; httpStatus?: number; error?: GatewayError }> {
  if (p.plan.call === undefined) return {};
  try {
    const answer = await deps.api.request(p.plan.call, deps.credentialsFor(p.message.identity));
    return { response: answer.body, httpStatus: answer.status };
  } catch (err) {
    return { error: toGatewayError(err) };
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

/** ECONNREFUSED anywhere in the cause chain: the request never reached SensePass. */
function connectionRefused(error: GatewayError): boolean {
  if (error.code !== 'GW_UPSTREAM_UNAVAILABLE') return false;
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && typeof cause === 'object' && cause !== null; depth++) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
