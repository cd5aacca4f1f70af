// Runs SensePass-shaped requests (SOAP/XML dialect, Terminal Agent JSON) through the exchange runner with a
// pass-through mapping, tracked for shutdown like the mapped exchanges, and remembers each client's last payment.
import type { AppContext } from '../app.js';
import { gwError, isGatewayError, toGatewayError } from '../errors.js';
import { callbackInitFields } from '../exchange/await/index.js';
import type { HttpMethod } from '../exchange/call/payment-api.js';
import type { TransactionEntity } from '../exchange/call/transaction.js';
import type { ExchangeDeps } from '../exchange/exchange-deps.js';
import { runExchange } from '../exchange/run-exchange.js';
import { credentialsFor } from '../ingress/auth/index.js';
import type { ClientIdentity, OutboundMessage, Protocol } from './message.js';
import { passthroughMapping } from './dialect-mapping.js';

export interface PassthroughRequest {
  /** Endpoint family: journal mappingId prefix and log field ('sensepass-soap', 'sensepass-xml', 'terminal-agent'). */
  readonly family: string;
  readonly method: HttpMethod;
  /** SensePass REST path (relative to …/api), already checked. */
  readonly path: string;
  /** SensePass JSON body, credential fields removed. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Wait for the final status (synchronous init). */
  readonly sync: boolean;
  /** The Idempotency-Key header, already validated. */
  readonly idempotencyKey: string | undefined;
  readonly identity: ClientIdentity;
  readonly protocol: Protocol;
  readonly requestId: string;
  /** Aborted when the client hangs up: a synchronous payment is cancelled, like the Terminal Agent does. */
  readonly signal: AbortSignal;
}

export interface PassthroughExchanges {
  run(request: PassthroughRequest): Promise<OutboundMessage>;
  /** The current entity of the last payment this gateway created for the identity (GW_AGENT_NO_TRANSACTION). */
  last(identity: ClientIdentity, signal?: AbortSignal): Promise<TransactionEntity>;
  active(): number;
  drained(timeoutMs: number): Promise<boolean>;
  abortAll(): void;
}

// One runner per gateway (never module state shared between gateways): the three routers of a context share it.
const runners = new WeakMap<AppContext, PassthroughExchanges>();

export function passthroughExchangesFor(ctx: AppContext): PassthroughExchanges {
  let runner = runners.get(ctx);
  if (runner === undefined) {
    runner = createPassthroughExchanges(ctx);
    runners.set(ctx, runner);
  }
  return runner;
}

function createPassthroughExchanges(ctx: AppContext): PassthroughExchanges {
  const deps: ExchangeDeps = {
    mappings: ctx.mappings,
    journal: ctx.journal,
    inFlight: ctx.inFlight,
    api: ctx.api,
    watcher: ctx.watcher,
    reconciler: ctx.reconciler,
    socketMode: ctx.config.sensepass.socketMode,
    credentialsFor: ctx.credentialsFor,
    credentialsForScope: (scope) => {
      try {
        return credentialsFor(scope === 'anonymous' ? { name: 'anonymous', method: 'none' } : { name: scope, method: 'basic' }, ctx.config);
      } catch {
        return undefined;
      }
    },
    initExtras: callbackInitFields(ctx.config),
    logger: ctx.logger,
    now: ctx.now,
  };
  const { dialects } = ctx.config;
  const lastKey = new Map<string, string>(); // identity name → journal key of its last init (bounded by clients)
  const running = new Set<AbortController>();
  let idle: Array<() => void> = [];

  const run = async (request: PassthroughRequest): Promise<OutboundMessage> => {
    if (!ctx.readiness.ready) return { kind: 'fault', error: gwError('GW_NOT_READY') };
    const init = request.method === 'POST' && request.path === '/transactions/init';
    const key = request.idempotencyKey !== undefined ? `idem/${request.idempotencyKey}` : init ? `request/${request.requestId}` : undefined;
    const timeOut = typeof request.body.timeOut === 'number' && request.body.timeOut > 0 ? request.body.timeOut : dialects.defaultTimeOutSeconds;
    const mapping = passthroughMapping({
      family: request.family,
      method: request.method,
      path: request.path,
      key,
      await: request.sync ? { deadlineMs: timeOut * 1000 + dialects.syncGraceMs } : undefined,
    });
    if (init && key !== undefined) lastKey.set(request.identity.name, key);
    const controller = new AbortController();
    running.add(controller);
    try {
      return await runExchange(
        mapping,
        {
          endpoint: request.family,
          operation: `${request.method} ${request.path}`,
          protocol: request.protocol,
          body: request.body,
          identity: request.identity,
          requestId: request.requestId,
          signal: AbortSignal.any([request.signal, controller.signal]),
        },
        deps,
      );
    } catch (err) {
      if (!isGatewayError(err)) ctx.logger.error({ err, requestId: request.requestId }, 'pass-through exchange failed unexpectedly');
      return { kind: 'fault', error: toGatewayError(err) };
    } finally {
      running.delete(controller);
      if (running.size === 0) {
        const waiting = idle;
        idle = [];
        for (const resolve of waiting) resolve();
      }
    }
  };

  return {
    run,
    async last(identity, signal) {
      const key = lastKey.get(identity.name);
      const exchange = key === undefined ? undefined : await ctx.journal.findByKey(identity.name, key);
      if (exchange?.transactionNumber === undefined) throw gwError('GW_AGENT_NO_TRANSACTION');
      return ctx.api.getTransaction(exchange.transactionNumber, ctx.credentialsFor(identity), { signal });
    },
    active: () => running.size,
    drained(timeoutMs) {
      if (running.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    abortAll() {
      for (const c of running) c.abort(gwError('GW_NOT_READY'));
    },
  };
}
