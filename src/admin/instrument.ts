// Timing wrappers: the PaymentApi and the Journal with their calls measured, in the same wrap-don't-flag style as
// withRetries. The metric calls are constant-label increments; nothing here reads a payment's content.
import { performance } from 'node:perf_hooks';
import type { PaymentApi } from '../exchange/call/payment-api.js';
import type { Journal } from '../journal/journal.js';
import type { JournalWrite, Metrics, UpstreamCallKind } from './metrics.js';

async function timed<T>(fn: () => Promise<T>, report: (seconds: number, ok: boolean) => void): Promise<T> {
  const started = performance.now();
  try {
    const value = await fn();
    report((performance.now() - started) / 1000, true);
    return value;
  } catch (err) {
    report((performance.now() - started) / 1000, false);
    throw err;
  }
}

export function withUpstreamMetrics(api: PaymentApi, metrics: Metrics): PaymentApi {
  const t = <T>(call: UpstreamCallKind, fn: () => Promise<T>): Promise<T> => timed(fn, (s, ok) => metrics.upstreamCall(call, s, ok));
  return {
    request: (call, credentials, o) => t('request', () => api.request(call, credentials, o)),
    init: (body, credentials, o) => t('init', () => api.init(body, credentials, o)),
    getTransaction: (n, credentials, o) => t('getTransaction', () => api.getTransaction(n, credentials, o)),
    listTransactions: (filter, credentials, o) => t('listTransactions', () => api.listTransactions(filter, credentials, o)),
    cancel: (n, credentials, o) => t('cancel', () => api.cancel(n, credentials, o)),
    commit: (link, o) => t('commit', () => api.commit(link, o)),
  };
}

export function withJournalMetrics(journal: Journal, metrics: Metrics): Journal {
  const t = <T>(op: JournalWrite, fn: () => Promise<T>): Promise<T> => timed(fn, (s, ok) => metrics.journalWrite(op, s, ok));
  const wrapped: Journal = {
    begin: (input) => t('begin', () => journal.begin(input)),
    advance: (id, patch) => t('advance', () => journal.advance(id, patch)),
    prune: (olderThanMs) => t('prune', () => journal.prune(olderThanMs)),
    get: (id) => journal.get(id),
    findByKey: (scope, key) => journal.findByKey(scope, key),
    unfinished: () => journal.unfinished(),
    uncommitted: () => journal.uncommitted(),
    close: () => journal.close(),
  };
  const health = journal.health;
  return health === undefined ? wrapped : { ...wrapped, health: () => health.call(journal) };
}

/** Unfinished journal entries counted by state, for the in-flight gauge. */
export async function inFlightByState(journal: Journal): Promise<ReadonlyMap<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of await journal.unfinished()) counts.set(entry.state, (counts.get(entry.state) ?? 0) + 1);
  return counts;
}
