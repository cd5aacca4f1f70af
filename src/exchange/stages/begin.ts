// Stage 1, begin/join: the journal entry (JOURNALED) is written before anything is sent, under the POS's idempotency
// key. A repeat of the same request joins the running exchange, replays a settled one, reconciles an unfinished one or
// tries afresh after NOT_CREATED; the same key with another payload is a conflict.
import type { InboundMessage } from '../../route/message.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import { beginExchange, payloadHash, type ExchangeStart } from '../idempotency/index.js';
import { isInit, type Prepared } from './prepare.js';

export function begin(p: Prepared, message: InboundMessage, deps: ExchangeDeps): Promise<ExchangeStart> {
  return beginExchange(deps.journal, deps.inFlight, {
    scope: message.identity.name,
    key: p.key ?? `request/${message.requestId}`, // a payment without a key still gets its entry, just no idempotency
    mappingId: p.mapping.id,
    payloadHash: payloadHash({ mapping: p.mapping.id, message: message.body }),
    deadlineAt: deps.now() + (p.plan.await?.deadlineMs ?? 0),
    // Only init carries posData.gatewayKey, so only its lost answers can be looked up (and proven absent).
    context: p.plan.createsPayment && isInit(p.plan) ? { ...p.plan.context, findBy: 'posData' } : p.plan.context,
  });
}
