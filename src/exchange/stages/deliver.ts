// Stage 6, deliver: the rendered reply goes to egress with its delivery hooks — for the first request, every joined
// retry and every replay, in every dialect. Whichever delivery reaches the POS first marks the entry DELIVERED and
// commits an approval; one whose every delivery failed is never committed (SensePass reverses it).
import { gwError, isGatewayError, type GatewayError } from '../../errors.js';
import type { OutboundMessage } from '../../route/message.js';
import type { Settled } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { ReplyBuild } from '../map/index.js';

/** The outbound message without delivery hooks (unjournaled reads, refusals before anything was sent). */
export function plainOutbound(build: ReplyBuild): OutboundMessage {
  return build.kind === 'reply' ? { kind: 'reply', value: build.value } : { kind: 'fault', error: gwError(build.code, build.params) };
}

/**
 * The outbound message for a journaled exchange. Once egress reports the reply fully written, the commit stage marks
 * it DELIVERED and commits an approval (the returned promise lets the exchange handler hold the exchange active until
 * the commit finished, so a shutdown never closes the journal in between).
 */
export function deliver(settled: Settled, build: ReplyBuild, mappingId: string, deps: ExchangeDeps): OutboundMessage {
  const base = plainOutbound(build);
  if (base.kind === 'fault') return base;
  const exchangeId = settled.exchange.id;
  const outcome = settled.result?.outcome;
  return {
    ...base,
    onDelivered: () => deps.commits.delivered(exchangeId),
    onUndelivered: (reason?: GatewayError) => {
      if (reason !== undefined && isGatewayError(reason) && outcome === 'APPROVED') {
        // The reply was rendered but egress could not encode it (e.g. it fails the WSDL schema) after money moved.
        deps.logger.error(
          { exchangeId, mappingId, code: reason.code, ...reason.params },
          'approved reply could not be delivered; the outcome stays journaled and the next retry renders again',
        );
        return;
      }
      deps.logger.warn({ exchangeId }, 'reply not delivered to the POS; an approval is not committed');
    },
  };
}
