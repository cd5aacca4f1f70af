// Everything the gateway needs, loaded and validated before listen(): WSDLs, mappings, journal, SensePass client.
// Tests call this too (with their own logger and a simulator URL in config), then buildApp(config, deps).
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
}

export interface LoadDepsOverrides {
  readonly now?: () => number;
  readonly journal?: Journal;
  readonly api?: PaymentApi;
}

/** Loads and checks everything; a bad WSDL or mapping stops start-up with every problem listed. */
export async function loadGatewayDeps(config: Config, logger: Logger, overrides: LoadDepsOverrides = {}): Promise<GatewayDeps> {
  const contracts = await loadContracts(config, config.paths.mappings);
  if (!contracts.ok) throw gwError(contracts.code, { detail: problemsDetail(contracts) });
  for (const w of contracts.warnings) logger.warn({ warning: w }, 'mapping warning');
  const now = overrides.now ?? Date.now;
  const journal =
    overrides.journal ??
    openSqliteJournal({
      file: config.derived.journalFile,
      now,
      logger,
      busyTimeoutMs: config.journal.busyTimeoutMs,
      synchronous: config.journal.synchronous,
    });
  const api = overrides.api ?? paymentApiFromConfig(config, logger);
  return {
    logger,
    now,
    soapServices: contracts.soapServices,
    mappings: contracts.mappings,
    journal,
    api,
    watcher: statusWatcherFromConfig(config, logger),
    reconciler: createReconciler({ api, logger }),
  };
}
