// Decides what a request does with its idempotency key: run it, join the in-flight wait, replay, reconcile or refuse.
import type { Exchange, ExchangeState, Settled } from '../exchange.js';
import { gwError, type GatewayError } from '../../errors.js';
import type { BeginInput, Journal } from '../../journal/journal.js';
import type { InFlight } from './in-flight.js';

/** States whose journaled result is the answer for every repeat (rendered again on each delivery). */
export const REPLAYABLE_STATES: ReadonlySet<ExchangeState> = new Set(['SETTLED', 'DELIVERED', 'COMMITTED', 'REJECTED']);

/**
 * Held by the one request that works on an exchange in this process. Journal the result FIRST, then call settle():
 * a repeat arriving in between still finds the in-flight entry and joins it, and one arriving after finds the
 * journaled result. Call fail() when nothing can be settled; exactly one of the two must be called, or joiners wait.
 */
export interface ExchangeOwner {
  settle(settled: Settled): void;
  fail(err: unknown): void;
}

export type ExchangeStart =
  /** New entry (state JOURNALED): call SensePass, store the reply, then settle. */
  | ({ readonly kind: 'run'; readonly exchange: Exchange } & ExchangeOwner)
  /** Proven never created upstream (NOT_CREATED): a fresh attempt under the same key, then settle. */
  | ({ readonly kind: 'retry'; readonly exchange: Exchange } & ExchangeOwner)
  /** Unfinished but nobody here works on it (restart, UNKNOWN, SETTLED without a result): reconcile, settle. */
  | ({ readonly kind: 'reconcile'; readonly exchange: Exchange } & ExchangeOwner)
  /** Another request in this process owns it: await what it settles, then render and deliver it here too. */
  | { readonly kind: 'join'; readonly settled: Promise<Settled> }
  /** Finished with a journaled result (or a schema-1 stored reply): render it again and deliver it. */
  | { readonly kind: 'replay'; readonly exchange: Exchange }
  /** Same key, different payload: refuse with error; nothing was created. */
  | { readonly kind: 'conflict'; readonly exchange: Exchange | undefined; readonly error: GatewayError };

export async function beginExchange(journal: Journal, inFlight: InFlight, input: BeginInput): Promise<ExchangeStart> {
  for (;;) {
    const entry = inFlight.join(input.scope, input.key);
    if (entry === undefined) return claim(journal, inFlight, input);
    await entry.ready;
    // The owner left (conflict, journal failure, or already settled): look again from the top.
    if (inFlight.join(input.scope, input.key) !== entry) continue;
    // The owner's hash is now the journal's hash for this key.
    if (entry.payloadHash !== input.payloadHash) {
      return { kind: 'conflict', exchange: undefined, error: gwError('GW_IDEMPOTENCY_CONFLICT') };
    }
    return { kind: 'join', settled: entry.reply };
  }
}

/** Registers this request as the owner before touching the journal, so concurrent repeats join instead of racing. */
async function claim(journal: Journal, inFlight: InFlight, input: BeginInput): Promise<ExchangeStart> {
  const reply = deferred<Settled>();
  const ready = deferred<void>();
  const entry = inFlight.register(input.scope, input.key, reply.promise, input.payloadHash, ready.promise);
  const owner: ExchangeOwner = { settle: reply.resolve, fail: reply.reject };
  let exchange: Exchange;
  try {
    const result = await journal.begin(input);
    exchange = result.exchange;
    if (result.kind === 'conflict') {
      const error = gwError('GW_IDEMPOTENCY_CONFLICT');
      inFlight.release(input.scope, input.key, entry);
      reply.reject(error);
      return { kind: 'conflict', exchange, error };
    }
    if (result.kind === 'new') return { kind: 'run', exchange, ...owner };
  } catch (err) {
    inFlight.release(input.scope, input.key, entry);
    reply.reject(err);
    throw err;
  } finally {
    ready.resolve();
  }
  if ((exchange.result !== undefined || exchange.reply !== undefined) && REPLAYABLE_STATES.has(exchange.state)) {
    reply.resolve({ exchange, result: exchange.result });
    return { kind: 'replay', exchange };
  }
  if (exchange.state === 'NOT_CREATED') return { kind: 'retry', exchange, ...owner };
  return { kind: 'reconcile', exchange, ...owner };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
