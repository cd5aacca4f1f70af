// Everything the gateway needs, loaded and validated before listen(): WSDLs, mappings, journal, SensePass client.
// Tests call this too (with their own logger and a simulator URL in config), then buildApp(config, deps).
import { withJournalMetrics, withUpstreamMetrics } from './admin/instrument.js';
import type { Metrics } from './admin/metrics.js';
import type { Config } from './config.js';
import { gwError } from './errors.js';
import { createReconciler, statusWatcherFromConfig, type Reconciler, type StatusWatcher } from './exchange/await/index.js';
import { paymentApiFromConfig } from './exchange/call/index.js';
import type { PaymentApi } from './exchange/call/payment-api.js';
import type { MappingRegistry } from './exchange/map/index.js';
import type { SoapService } from './ingress/wsdl-service.js';
import { openSqliteJournal } from './journal/index.js';
import type { Journal } from './journal/journal.js';
import type { Logger } from './log.js';
import { loadContracts, problemsDetail } from './reload/load-contracts.js';

export interface GatewayDeps {
  readonly logger: Logger;
  readonly now: () => number;
  /** SOAP services by endpoint name (the wsdl/<pos-system> folder name), as loaded at start-up (see reload/). */
  readonly soapServices: ReadonlyMap<string, SoapService>;
  readonly mappings: MappingRegistry;
  readonly journal: Journal;
  readonly api: PaymentApi;
  readonly watcher: StatusWatcher;
  readonly reconciler: Reconciler;
  /** Where the gateway reports what it does (/metrics); nothing is recorded when absent. */
  readonly metrics?: Metrics;
}

export interface LoadDepsOverrides {
  readonly now?: () => number;
  readonly journal?: Journal;
  readonly api?: PaymentApi;
  /** Instruments the SensePass client, the journal and the sockets (createPrometheusMetrics() for /metrics). */
  readonly metrics?: Metrics;
}

/** Loads and checks everything; a bad WSDL or mapping stops start-up with every problem listed. */
export async function loadGatewayDeps(config: Config, logger: Logger, overrides: LoadDepsOverrides = {}): Promise<GatewayDeps> {
  const contracts = await loadContracts(config, config.paths.mappings);
  if (!contracts.ok) throw gwError(contracts.code, { detail: problemsDetail(contracts) });
  for (const w of contracts.warnings) logger.warn({ warning: w }, 'mapping warning');
  const now = overrides.now ?? Date.now;
  const { metrics } = overrides;
  const openedJournal =
    overrides.journal ??
    openSqliteJournal({
      file: config.derived.journalFile,
      now,
      logger,
      busyTimeoutMs: config.journal.busyTimeoutMs,
      synchronous: config.journal.synchronous,
    });
  const client = overrides.api ?? paymentApiFromConfig(config, logger);
  // Measured from outside: upstream latency includes the retries of safe calls, as the exchange experiences it.
  const api = metrics === undefined ? client : withUpstreamMetrics(client, metrics);
  const journal = metrics === undefined ? openedJournal : withJournalMetrics(openedJournal, metrics);
  return {
    logger,
    now,
    soapServices: contracts.soapServices,
    mappings: contracts.mappings,
    journal,
    api,
    watcher: statusWatcherFromConfig(config, logger, metrics),
    reconciler: createReconciler({ api, logger }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}
