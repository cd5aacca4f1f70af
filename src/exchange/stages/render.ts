// Stage 5, render: the reply is built from the settled result with the mapping as it is now — on every delivery, for
// the first request, a joined retry or a replay alike — so a fixed mapping fixes the retries. Nothing rendered is stored.
import { gwError, isGatewayError, toGatewayError } from '../../errors.js';
import type { StoredReply, Settled } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { ReplyBuild } from '../map/index.js';
import { callResult, type Prepared } from './prepare.js';

/**
 * The reply for `settled`. A result the journal kept without its secret fields (a Tokenize entity's card token) is
 * rendered from SensePass's entity read again now. A render that fails after money moved is an error for an operator
 * (mapping and field in the log); the POS gets the catalogue fault, and the next retry renders again.
 */
export async function render(p: Prepared, settled: Settled, deps: ExchangeDeps): Promise<ReplyBuild> {
  const { exchange } = settled;
  let result = settled.result;
  if (result === undefined) {
    // A schema-1 row: the reply rendered and stored by an older gateway is replayed as it is.
    if (exchange.reply !== undefined) return fromStored(exchange.reply);
    return faultOf(gwError('GW_OUTCOME_UNKNOWN'));
  }
  if (result.redacted === true && exchange.transactionNumber !== undefined && result.error === undefined) {
    try {
      const entity = await deps.api.getTransaction(exchange.transactionNumber, deps.credentialsFor(p.message.identity));
      result = { ...result, transaction: entity, response: entity, redacted: false };
    } catch (err) {
      // Without the entity the reply would lack what the POS asked for: it is told to ask again.
      deps.logger.warn({ exchangeId: exchange.id, code: toGatewayError(err).code }, 'could not re-read the entity for a reply with secret fields');
      return faultOf(gwError('GW_OUTCOME_UNKNOWN'));
    }
  }
  const learned =
    result.error !== undefined
      ? { error: gwError(result.error.code, result.error.params) }
      : { outcome: result.outcome, transaction: result.transaction, response: result.response, httpStatus: result.httpStatus };
  try {
    return await p.mapping.reply(p.input, callResult(p, learned));
  } catch (err) {
    const error = toGatewayError(err);
    if (!isGatewayError(err)) deps.logger.error({ err, exchangeId: exchange.id }, 'reply mapping failed unexpectedly');
    const line = { exchangeId: exchange.id, mappingId: p.mapping.id, code: error.code, ...error.params, outcome: result.outcome };
    if (exchange.transactionNumber !== undefined) deps.logger.error(line, 'reply could not be rendered after the payment was settled; the outcome stays journaled');
    else deps.logger.warn(line, 'reply could not be rendered');
    return faultOf(error);
  }
}

function faultOf(error: ReturnType<typeof gwError>): ReplyBuild {
  return { kind: 'fault', code: error.code, params: error.params };
}

function fromStored(reply: StoredReply): ReplyBuild {
  return reply.kind === 'reply'
    ? { kind: 'reply', value: reply.value as Record<string, unknown>, outcome: reply.outcome }
    : { kind: 'fault', code: reply.code, params: reply.params };
}
