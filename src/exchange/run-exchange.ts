// One exchange from routed message to outbound reply: key → lookup → plan → journal → call → await → reply.
import { toGatewayError } from '../errors.js';
import type { InboundMessage, OutboundMessage } from '../route/message.js';
import type { TransactionEntity } from './call/transaction.js';
import { deliveredOutbound, plainOutbound, toStored } from './deliver.js';
import type { Exchange } from './exchange.js';
import type { ExchangeDeps } from './exchange-deps.js';
import { executeCall } from './execute-call.js';
import { beginExchange, payloadHash } from './idempotency/index.js';
import type { CompiledMapping, MappingInput, PlannedCall } from './map/index.js';
import { callResult, errorResult, isInit, type Prepared } from './prepared.js';
import { recheckUndelivered, settleExisting } from './settle-existing.js';

export async function runExchange(mapping: CompiledMapping, message: InboundMessage, deps: ExchangeDeps): Promise<OutboundMessage> {
  const input: MappingInput = { message: message.body, identity: message.identity };
  let original: Exchange | undefined;
  let originalTransaction: TransactionEntity | undefined;
  let key: string | undefined;
  let plan: PlannedCall;
  try {
    key = await mapping.key(input);
    const lookup = await mapping.lookupKey(input);
    if (lookup !== undefined) {
      original = await deps.journal.findByKey(message.identity.name, lookup.key);
      if (original?.transactionNumber !== undefined && mapping.fetchOriginal) {
        const credentials = deps.credentialsFor(message.identity);
        originalTransaction = await deps.api.getTransaction(original.transactionNumber, credentials);
      }
    }
    plan = await mapping.plan(input, original, originalTransaction);
  } catch (err) {
    // Nothing was sent upstream: the mapping decides how this error is answered (reply or fault).
    return plainOutbound(toStored(await mapping.reply(input, errorResult(toGatewayError(err), original, originalTransaction))));
  }
  const prepared: Prepared = { mapping, input, message, key, plan, original, originalTransaction };

  // Reads (no key, no payment) need no journal entry; everything that can move money gets one before the call.
  if (plan.call === undefined || (key === undefined && !plan.createsPayment)) {
    return plainOutbound(await executeUnjournaled(prepared, deps));
  }
  const start = await beginExchange(deps.journal, deps.inFlight, {
    scope: message.identity.name,
    key: key ?? `request/${message.requestId}`, // a payment without a key still gets its entry, just no idempotency
    mappingId: mapping.id,
    payloadHash: payloadHash({ mapping: mapping.id, message: message.body }),
    deadlineAt: deps.now() + (plan.await?.deadlineMs ?? 0),
    context: plan.createsPayment && isInit(plan) ? { ...plan.context, findBy: 'posData' } : plan.context,
  });
  switch (start.kind) {
    case 'conflict':
      return { kind: 'fault', error: start.error };
    case 'join':
      return plainOutbound(await start.reply);
    case 'replay':
      return deliveredOutbound(start.exchange.id, await recheckUndelivered(prepared, start.exchange, start.reply, deps), deps);
    case 'run':
    case 'reconcile': {
      try {
        const reply = start.kind === 'run' ? await executeCall(prepared, start.exchange, deps) : await settleExisting(prepared, start.exchange, deps);
        start.settle(reply);
        return deliveredOutbound(start.exchange.id, reply, deps);
      } catch (err) {
        start.fail(err);
        throw err;
      }
    }
  }
}

async function executeUnjournaled(p: Prepared, deps: ExchangeDeps) {
  let response: unknown;
  let httpStatus: number | undefined;
  if (p.plan.call !== undefined) {
    try {
      const answer = await deps.api.request(p.plan.call, deps.credentialsFor(p.message.identity));
      response = answer.body;
      httpStatus = answer.status;
    } catch (err) {
      return toStored(await p.mapping.reply(p.input, callResult(p, { error: toGatewayError(err) })));
    }
  }
  // A read of the original (GetTransactionStatus): its entity is the transaction the reply describes.
  return toStored(await p.mapping.reply(p.input, callResult(p, { transaction: p.originalTransaction, response, httpStatus })));
}
