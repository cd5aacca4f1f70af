// The narrow hooks the gateway reports through (exchange outcomes, upstream and journal latency, sockets, commits,
// faults). Code under src/ calls these, never prom-client; the default does nothing, so tests and tools pay nothing.
import type { ErrorCode } from '../errors.js';
import type { Outcome } from '../exchange/call/transaction.js';

/** Every PaymentApi method: a fixed list, so the `call` label stays bounded. */
export const UPSTREAM_CALLS = ['init', 'getTransaction', 'listTransactions', 'cancel', 'commit', 'request'] as const;
export type UpstreamCallKind = (typeof UPSTREAM_CALLS)[number];

/** Journal writes timed (reads are not writes: get, findByKey, unfinished, uncommitted are left out). */
export const JOURNAL_WRITES = ['begin', 'advance', 'prune'] as const;
export type JournalWrite = (typeof JOURNAL_WRITES)[number];

/**
 * How an exchange ended: the payment outcome (lower case), `answered` for a reply without one (reads, refunds
 * answered at once), `fault` for a fault reply.
 */
export type ExchangeResult = Lowercase<Outcome> | 'answered' | 'fault';
export const EXCHANGE_RESULTS: readonly ExchangeResult[] = ['approved', 'declined', 'failed', 'cancelled', 'timed_out', 'unknown', 'answered', 'fault'];

export interface Metrics {
  /** One exchange finished (its reply or fault is ready for the POS); endpoint and operation matched a mapping. */
  exchangeFinished(endpoint: string, operation: string, result: ExchangeResult, seconds: number): void;
  /** One SensePass call (retries included: the wrapper sits outside withRetries), ok false when it threw. */
  upstreamCall(call: UpstreamCallKind, seconds: number, ok: boolean): void;
  /** One journal write, ok false when it threw (GW_JOURNAL_UNAVAILABLE). */
  journalWrite(operation: JournalWrite, seconds: number, ok: boolean): void;
  /** A commit of a delivered approval: the first one after delivery, or a retry by the sweeper. */
  commitAttempt(attempt: 'first' | 'retry', committed: boolean): void;
  /** A fault rendered to a caller (any protocol), by catalogue code. */
  fault(code: ErrorCode): void;
  /** A SensePass Socket.IO connection came up (first connect, or a reconnect) or went down. */
  socketConnected(first: boolean): void;
  socketDisconnected(): void;
  /** Registers how to count unfinished journal entries by state (read when metrics are collected). */
  observeInFlight(read: () => Promise<ReadonlyMap<string, number>>): void;
}

const nothing = (): void => undefined;

export const noopMetrics: Metrics = Object.freeze({
  exchangeFinished: nothing,
  upstreamCall: nothing,
  journalWrite: nothing,
  commitAttempt: nothing,
  fault: nothing,
  socketConnected: nothing,
  socketDisconnected: nothing,
  observeInFlight: nothing,
});

/** The result label of an exchange from its settled outcome (undefined: answered without one). */
export function resultOf(outcome: Outcome | undefined): ExchangeResult {
  return outcome === undefined ? 'answered' : (outcome.toLowerCase() as Lowercase<Outcome>);
}
