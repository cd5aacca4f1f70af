// Per-identity cap on payments in flight (`maxInFlight`): a wrapper around the exchange handler, so a refused
// payment is refused before anything is journaled or sent (GW_CLIENT_BUSY, retryable). Other identities are unaffected.
import { gwError } from '../../errors.js';
import type { InboundMessage, OutboundMessage } from '../../route/message.js';
import type { ExchangeHandler } from '../exchange-handler.js';
import type { CompiledMapping } from '../map/index.js';
import type { PickMapping } from '../map/route-table.js';
import type { Policies } from './policy.js';

export function withInFlightCap(inner: ExchangeHandler, pick: PickMapping, policies: Policies): ExchangeHandler {
  const active = new Map<string, number>();
  // The same routing as the exchange handler (the contracts current now, answers.when included), done once here.
  const route = (message: InboundMessage) =>
    pick(message.endpoint, message.operation, { message: message.body, identity: message.identity }).catch(() => undefined);

  const capped = async (mapping: CompiledMapping | undefined, message: InboundMessage, go: () => Promise<OutboundMessage>): Promise<OutboundMessage> => {
    const limit = policies.of(message.identity.name).maxInFlight;
    if (limit === undefined || mapping === undefined || !mapping.createsPayment) return go();
    const name = message.identity.name;
    const now = active.get(name) ?? 0;
    if (now >= limit) return { kind: 'fault', error: gwError('GW_CLIENT_BUSY') };
    active.set(name, now + 1);
    try {
      return await go();
    } finally {
      const left = (active.get(name) ?? 1) - 1;
      if (left <= 0) active.delete(name);
      else active.set(name, left);
    }
  };

  // Everything else (active, drained, abortAll, and whatever the handler grows) is the inner handler's own.
  return {
    ...inner,
    handle: async (message) => {
      const mapping = await route(message);
      // A message no mapping selects is not counted: the inner handler answers it with its fault.
      return mapping === undefined ? inner.handle(message) : capped(mapping, message, () => inner.run(mapping, message));
    },
    run: (mapping, message) => capped(mapping, message, () => inner.run(mapping, message)),
  };
}
