// Metrics as Prometheus series (prom-client), in one Registry per gateway — never the module-global default, so
// several gateways in one process (tests) keep separate counts. Label values are bounded: endpoint and operation
// names from the loaded contracts, outcomes and call kinds from fixed lists, error codes from the catalogue.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UNFINISHED_STATES } from '../exchange/exchange.js';
import { JOURNAL_WRITES, UPSTREAM_CALLS, type ExchangeResult, type JournalWrite, type Metrics, type UpstreamCallKind } from './metrics.js';

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
}

/** Seconds: a Sale waits for a consumer (tens of seconds, minutes at worst); a read answers in milliseconds. */
const EXCHANGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const UPSTREAM_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOURNAL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function createPrometheusMetrics(options: { processMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const exchanges = new Counter({
    name: 'spgw_exchanges_total',
    help: 'Exchanges finished, by endpoint, operation and result (payment outcome, answered or fault).',
    labelNames: ['endpoint', 'operation', 'result'] as const,
    registers,
  });
  const exchangeSeconds = new Histogram({
    name: 'spgw_exchange_duration_seconds',
    help: 'Time from the message reaching the exchange until its reply or fault is ready for the POS (waits included).',
    labelNames: ['endpoint', 'operation'] as const,
    buckets: EXCHANGE_BUCKETS,
    registers,
  });
  const upstreamSeconds = new Histogram({
    name: 'spgw_upstream_request_duration_seconds',
    help: 'SensePass REST calls by kind and result (ok or error), retries of safe calls included.',
    labelNames: ['call', 'result'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const journalSeconds = new Histogram({
    name: 'spgw_journal_write_duration_seconds',
    help: 'Journal writes by operation (successful and failed).',
    labelNames: ['operation'] as const,
    buckets: JOURNAL_BUCKETS,
    registers,
  });
  const journalFailures = new Counter({
    name: 'spgw_journal_write_failures_total',
    help: 'Journal writes that failed (the exchange was refused or stays unfinished for recovery).',
    labelNames: ['operation'] as const,
    registers,
  });
  const commits = new Counter({
    name: 'spgw_commits_total',
    help: 'Commits of delivered approvals: attempt first (after delivery) or retry (sweeper), result committed or failed.',
    labelNames: ['attempt', 'result'] as const,
    registers,
  });
  const faults = new Counter({ name: 'spgw_faults_total', help: 'Faults rendered to callers, by catalogue code.', labelNames: ['code'] as const, registers });
  const sockets = new Gauge({ name: 'spgw_socket_connections', help: 'SensePass Socket.IO connections open now.', registers });
  const reconnects = new Counter({ name: 'spgw_socket_reconnects_total', help: 'SensePass Socket.IO reconnects (after the first connect).', registers });
  let readInFlight: (() => Promise<ReadonlyMap<string, number>>) | undefined;
  new Gauge({
    name: 'spgw_exchanges_in_flight',
    help: 'Unfinished exchanges in the journal, by state (read at scrape time).',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const counts = readInFlight === undefined ? new Map<string, number>() : await readInFlight();
      for (const state of UNFINISHED_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });

  // Fixed label sets resolved once; exchange children are cached by (endpoint, operation, result).
  const upstream = new Map(UPSTREAM_CALLS.flatMap((call) => (['ok', 'error'] as const).map((r) => [`${call}/${r}`, upstreamSeconds.labels(call, r)] as const)));
  const journalChildren = new Map(JOURNAL_WRITES.map((op) => [op, { seconds: journalSeconds.labels(op), failures: journalFailures.labels(op) }] as const));
  const exchangeChildren = new Map<string, { count: ReturnType<typeof exchanges.labels>; seconds: ReturnType<typeof exchangeSeconds.labels> }>();
  const exchangeChild = (endpoint: string, operation: string, result: ExchangeResult) => {
    const key = `${endpoint}\u0000${operation}\u0000${result}`;
    let child = exchangeChildren.get(key);
    if (child === undefined) {
      child = { count: exchanges.labels(endpoint, operation, result), seconds: exchangeSeconds.labels(endpoint, operation) };
      exchangeChildren.set(key, child);
    }
    return child;
  };

  return {
    registry,
    exchangeFinished(endpoint, operation, result, seconds) {
      const child = exchangeChild(endpoint, operation, result);
      child.count.inc();
      child.seconds.observe(seconds);
    },
    upstreamCall(call: UpstreamCallKind, seconds, ok) {
      upstream.get(`${call}/${ok ? 'ok' : 'error'}`)?.observe(seconds);
    },
    journalWrite(operation: JournalWrite, seconds, ok) {
      const child = journalChildren.get(operation);
      child?.seconds.observe(seconds);
      if (!ok) child?.failures.inc();
    },
    commitAttempt(attempt, committed) {
      commits.inc({ attempt, result: committed ? 'committed' : 'failed' });
    },
    fault(code) {
      faults.inc({ code });
    },
    socketConnected(first) {
      sockets.inc();
      if (!first) reconnects.inc();
    },
    socketDisconnected() {
      sockets.dec();
    },
    observeInFlight(read) {
      readInFlight = read;
    },
  };
}
