// The idempotency coordinator the exchange runner uses: payload hashing, in-flight joins, start decision, retention.
export { canonicalJson, payloadHash } from './payload-hash.js';
export { InFlight, type InFlightEntry } from './in-flight.js';
export { beginExchange, REPLAYABLE_STATES, type ExchangeOwner, type ExchangeStart } from './begin-exchange.js';
export { startPruning, type PruningOptions } from './pruning.js';
