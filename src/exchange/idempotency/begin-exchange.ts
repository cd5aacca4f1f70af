// Decides what a request does with its idempotency key: run it, join the in-flight wait, replay, reconcile or refuse.
import type { Exchange, ExchangeState, StoredReply } from '../exchange.js';
import { gwError, type GatewayError } from '../../errors.js';
import type { BeginInput, Journal } from '../../journal/journal.js';
import type { InFlight } from './in-flight.js';

/** States whose stored reply is the answer for every repeat: identical to the first reply. */
export const REPLAYABLE_STATES: ReadonlySet<ExchangeState> = new Set(['FINAL', 'REPLIED', 'COMMITTED', 'REJECTED']);

/**
 * Held by the one request that works on an exchange in this process. Store the reply in the journal FIRST, then call
 * settle(): a repeat arriving in between still finds the in-flight entry and joins it, and one arriving after finds
 * the stored reply. Call fail() when no reply can be produced; exactly one of the two must be called, or joiners wait.
 */
export interface ExchangeOwner {
  settle(reply: StoredReply): void;
  fail(err: unknown): void;
}

export type ExchangeStart =
  /** New entry (state JOURNALED): call SensePass, store the reply, then settle. */
  | ({ readonly kind: 'run'; readonly exchange: Exchange } & ExchangeOwner)
  /** Unfinished but nobody here works on it (restart, UNKNOWN, FINAL without reply): reconcile, store, settle. */
  | ({ readonly kind: 'reconcile'; readonly exchange: Exchange } & ExchangeOwner)
  /** Another request in this process owns it: await the same reply. */
  | { readonly kind: 'join'; readonly reply: Promise<StoredReply> }
  /** Finished with a stored reply: send it again, unchanged. */
  | { readonly kind: 'replay'; readonly exchange: Exchange; readonly reply: StoredReply }
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
    return { kind: 'join', reply: entry.reply };
  }
}

/** Registers this request as the owner before touching the journal, so concurrent repeats join instead of racing. */
async function claim(journal: Journal, inFlight: InFlight, input: BeginInput): Promise<ExchangeStart> {
  const reply = deferred<StoredReply>();
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
  if (exchange.reply !== undefined && REPLAYABLE_STATES.has(exchange.state)) {
    reply.resolve(exchange.reply);
    return { kind: 'replay', exchange, reply: exchange.reply };
  }
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
