// buildApp(config, deps): the gateway as an Express app plus its lifecycle. It never listens; main.ts and tests do.
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import { inFlightByState } from './admin/instrument.js';
import { noopMetrics, type Metrics } from './admin/metrics.js';
import type { GatewayDeps } from './app-deps.js';
import type { Config, SensePassCredentials } from './config.js';
import { gwError, toGatewayError } from './errors.js';
import { callbackInitFields, createCallbackRouter } from './exchange/await/index.js';
import { startCommitSweeper, sweepCommits } from './exchange/commit-sweeper.js';
import { createCommits, type Commits } from './exchange/stages/commit.js';
import { createAuthorizer, withInFlightCap, type Authorizer } from './exchange/authorize/index.js';
import { createExchangeHandler, type ExchangeHandler } from './exchange/exchange-handler.js';
import { InFlight, startPruning } from './exchange/idempotency/index.js';
import { resumeRecovered } from './exchange/resume-recovered.js';
import { createAuthDeps, credentialsFor, type AuthDeps } from './ingress/auth/index.js';
import { reconcileUnfinished, type RecoverySummary } from './journal/index.js';
import type { Logger } from './log.js';
import type { ClientIdentity, MessageHandler } from './route/message.js';
import { createDialectRouter } from './route/dialect-router.js';
import { createTerminalAgentRouter } from './route/agent-router.js';
import type { MappingRegistry } from './exchange/map/index.js';
import type { SoapService } from './ingress/wsdl-service.js';
import { createContractRouter } from './reload/contract-router.js';
import { ContractHolder, createContractSet, liveRegistry, type ContractSet } from './reload/contract-set.js';

export type { GatewayDeps } from './app-deps.js';

/** Readiness: false until recovery has reconciled every unfinished exchange, false again while shutting down. */
export class Readiness {
  #ready = false;
  #reason = 'starting';
  get ready(): boolean {
    return this.#ready;
  }
  get reason(): string {
    return this.#reason;
  }
  markReady(): void {
    this.#ready = true;
    this.#reason = 'ready';
  }
  markNotReady(reason: string): void {
    this.#ready = false;
    this.#reason = reason;
  }
}

/** What every router gets: the shared, per-gateway (never module-level) parts. */
export interface AppContext extends GatewayDeps {
  readonly config: Config;
  /** Where routes and stages report (noopMetrics when the gateway was loaded without metrics). */
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly inFlight: InFlight;
  readonly exchange: ExchangeHandler;
  /** The commit stage (delivery and sweeper share its per-exchange chain). */
  readonly commits: Commits;
  /** The exchange handler behind the readiness gate: refuses with GW_NOT_READY while starting or stopping. */
  readonly handle: MessageHandler;
  readonly authDeps: AuthDeps;
  readonly credentialsFor: (identity: ClientIdentity) => SensePassCredentials;
  /** "May they": allow-lists, ownership, money ceilings (src/exchange/authorize/). */
  readonly authorizer: Authorizer;
  /** The WSDLs and mappings answering right now (`mappings` reads them too; `soapServices` is the start-up set). */
  readonly contracts: ContractHolder;
}

export interface Gateway {
  readonly app: Express;
  readonly readiness: Readiness;
  readonly context: AppContext;
  /**
   * Watch mode: swaps in WSDLs and mappings that passed loadContracts(). Builds their routes first (throws, keeping
   * the current set, when one cannot be built); exchanges already running finish with the mapping they started with.
   */
  replaceContracts(next: { soapServices: ReadonlyMap<string, SoapService>; mappings: MappingRegistry }): ContractSet;
  /** Reconciles every unfinished journal entry, then reports ready. */
  recover(): Promise<RecoverySummary>;
  /** Stops taking work, lets waits finish for graceMs, runs the deadline ladder on the rest, closes everything. */
  shutdown(graceMs: number): Promise<void>;
}

export function buildApp(config: Config, deps: GatewayDeps): Gateway {
  const readiness = new Readiness();
  const metrics = deps.metrics ?? noopMetrics;
  metrics.observeInFlight(() => inFlightByState(deps.journal));
  const inFlight = new InFlight();
  const forIdentity = (identity: ClientIdentity) => credentialsFor(identity, config);
  const commits = createCommits(deps);
  // Authorization wraps the exchange from outside: every mapping's plan is guarded (in every contract set watch mode
  // swaps in), payments in flight are capped.
  const authorizer = createAuthorizer(config, { api: deps.api, journal: deps.journal, logger: deps.logger, now: deps.now, credentialsFor: forIdentity });
  const guardedSet = (services: ReadonlyMap<string, SoapService>, registry: MappingRegistry, generation?: number) =>
    createContractSet(services, authorizer.guardRegistry(registry), generation);
  const contracts = new ContractHolder(guardedSet(deps.soapServices, deps.mappings));
  const mappings = liveRegistry(contracts);
  const core = createExchangeHandler({
    ...deps,
    mappings,
    // Read per message: a message is answered by the mapping current when its exchange starts, which it then keeps.
    // (A swap landing between a SOAP request's decoding and this lookup gives it the newer mapping: watch mode only.)
    pickMapping: (endpoint, name, input) => contracts.current().routes.pick(endpoint, name, input),
    commits,
    inFlight,
    socketMode: config.sensepass.socketMode,
    credentialsFor: forIdentity,
    credentialsForScope: (scope) => scopeCredentials(scope, config),
    initExtras: callbackInitFields(config),
    maxConcurrent: config.limits.maxConcurrentExchanges,
    metrics,
  });
  const exchange = withInFlightCap(core, (endpoint, name, input) => contracts.current().routes.pick(endpoint, name, input), authorizer.policies);
  const handle: MessageHandler = (message) =>
    readiness.ready ? exchange.handle(message) : Promise.resolve({ kind: 'fault', error: gwError('GW_NOT_READY') });
  const context: AppContext = {
    ...deps,
    config,
    metrics,
    readiness,
    inFlight,
    exchange,
    commits,
    handle,
    authDeps: createAuthDeps(config, deps.now),
    credentialsFor: forIdentity,
    authorizer,
    mappings,
    contracts,
  };
  const contractRouter = new WeakMap<ContractSet, Router>([[contracts.current(), createContractRouter(contracts.current(), context)]]);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    res.locals.requestId = randomUUID();
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not-ready', reason: readiness.reason });
  });
  if (config.sensepass.callbacks) {
    const secret = config.sensepass.hmacSecret ?? config.simulator.hmacSecret;
    app.use(
      createCallbackRouter({
        path: config.sensepass.callbackPath,
        hmacSecret: secret,
        watcher: deps.watcher,
        logger: deps.logger,
        replayWindowMs: config.sensepass.callbackReplayWindowSeconds * 1000,
        maxKeys: config.sensepass.maxCallbackKeys,
        now: deps.now,
      }),
    );
  }
  // SOAP endpoints and XML routes come from the current contract set (watch mode swaps it; see reload/).
  app.use((req, res, next) => {
    const router = contractRouter.get(contracts.current());
    if (router === undefined) next();
    else router(req, res, next);
  });
  app.use(createDialectRouter(context));
  app.use(createTerminalAgentRouter(context));
  app.use((req, res) => {
    sendJsonError(res, gwError('GW_ROUTE_NOT_FOUND'), res.locals.requestId as string, metrics);
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = toGatewayError(err);
    if (error.code === 'GW_SERVER_INTERNAL') deps.logger.error({ err }, 'unhandled error in a route');
    sendJsonError(res, error, res.locals.requestId as string, metrics);
  });

  let stopPruning: (() => void) | undefined;
  let stopCommitSweeper: (() => void) | undefined;
  const background = new Set<Promise<void>>();
  // A stop during recovery (SIGTERM while a long journal is reconciled): no new entry is started, and shutdown waits
  // for the entries in progress before closing the journal.
  const stopRecovery = new AbortController();
  let recovering: Promise<unknown> | undefined;
  const recover = async (): Promise<RecoverySummary> => {
    const summary = await reconcileUnfinished(deps.journal, {
      api: deps.api,
      credentialsFor: (scope) => scopeCredentials(scope, config),
      now: deps.now,
      logger: deps.logger,
      signal: stopRecovery.signal,
    });
    if (stopRecovery.signal.aborted) return summary;
    for (const exchangeEntry of summary.resumed) {
      const job = resumeRecovered(exchangeEntry, context);
      background.add(job);
      void job.finally(() => background.delete(job));
    }
    deps.logger.info(
      { reconciled: summary.reconciled.length, resumed: summary.resumed.length, failed: summary.failed.length },
      'recovery finished',
    );
    // Delivered approvals whose commit failed or was cut off by a crash: committed before we report ready.
    await sweepCommits(context.commits, deps);
    if (stopRecovery.signal.aborted) return summary;
    stopCommitSweeper = startCommitSweeper(context.commits, deps, config.sensepass.commitRetryMs);
    stopPruning = startPruning(deps.journal, { retentionHours: config.journal.retentionHours, logger: deps.logger });
    readiness.markReady();
    return summary;
  };
  return {
    app,
    readiness,
    context,
    recover() {
      const run = recover();
      recovering = run.catch(() => undefined);
      return run;
    },
    replaceContracts(next) {
      const set = guardedSet(next.soapServices, next.mappings, contracts.current().generation + 1);
      contractRouter.set(set, createContractRouter(set, context));
      contracts.replace(set);
      return set;
    },
    async shutdown(graceMs) {
      readiness.markNotReady('shutting down');
      stopRecovery.abort();
      // The entries recovery is working on get a moment (at most RECOVERY_STOP_MS) to finish; after it the journal
      // closes under them: their writes fail closed and the entries stay unfinished for the next start.
      if (recovering !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        const wait = Math.min(graceMs, RECOVERY_STOP_MS);
        await Promise.race([recovering, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
        clearTimeout(timer);
      }
      stopPruning?.();
      stopCommitSweeper?.();
      // Mapped, dialect and Terminal Agent exchanges all run through `exchange`, so they drain alike.
      if (!(await exchange.drained(graceMs))) {
        deps.logger.warn({ active: exchange.active() }, 'grace period over; applying the deadline ladder to the rest');
        exchange.abortAll();
        await exchange.drained(60_000);
      }
      await Promise.allSettled([...background]);
      deps.reconciler.close();
      deps.watcher.close();
      await deps.journal.close();
    },
  };
}

/** Longest a shutdown waits for recovery's entries in progress (each is a few SensePass reads; none moves money). */
const RECOVERY_STOP_MS = 2_000;

function scopeCredentials(scope: string, config: Config): SensePassCredentials | undefined {
  try {
    return credentialsFor(scope === 'anonymous' ? { name: 'anonymous', method: 'none' } : { name: scope, method: 'basic' }, config);
  } catch {
    return undefined;
  }
}

function sendJsonError(res: Response, error: ReturnType<typeof toGatewayError>, requestId: string, metrics: Metrics): void {
  metrics.fault(error.code);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(error.status).json({ code: error.code, message: error.message, requestId });
}

export type { Logger };
