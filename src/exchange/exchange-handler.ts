// The exchange layer's entry: finds the mapping for a routed message, runs the exchange, tracks it for shutdown.
import { gwError, isGatewayError, toGatewayError } from '../errors.js';
import type { InboundMessage, MessageHandler, OutboundMessage } from '../route/message.js';
import type { ExchangeDeps } from './exchange-deps.js';
import type { CompiledMapping } from './map/index.js';
import { runExchange } from './run-exchange.js';

export interface ExchangeHandler {
  readonly handle: MessageHandler;
  /** Exchanges this process is working on right now. */
  active(): number;
  /** Resolves true once nothing is active, or false when the timeout passes first. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Shutdown: every wait still running gets its deadline ladder now (re-read → cancel → re-read). */
  abortAll(): void;
}

export function createExchangeHandler(deps: ExchangeDeps): ExchangeHandler {
  // Compiled once: (endpoint, operation | root) → mapping.
  const byRoute = new Map<string, CompiledMapping>();
  for (const m of deps.mappings.all()) {
    const name = m.answers.kind === 'soap' ? m.answers.operation : m.answers.root;
    const scope = m.answers.kind === 'soap' ? m.posSystem : m.answers.path;
    byRoute.set(routeKey(scope, name), m);
  }
  const running = new Set<AbortController>();
  let idle: Array<() => void> = [];

  const handle = async (message: InboundMessage): Promise<OutboundMessage> => {
    const mapping = byRoute.get(routeKey(message.endpoint, message.operation));
    if (mapping === undefined) return { kind: 'fault', error: gwError('GW_ROUTE_UNKNOWN_OPERATION', { operation: message.operation }) };
    const controller = new AbortController();
    running.add(controller);
    try {
      return await runExchange(mapping, { ...message, signal: AbortSignal.any([message.signal, controller.signal]) }, deps);
    } catch (err) {
      const error = toGatewayError(err);
      if (!isGatewayError(err)) deps.logger.error({ err, requestId: message.requestId }, 'exchange failed unexpectedly');
      return { kind: 'fault', error };
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
    handle,
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

function routeKey(scope: string, name: string): string {
  return `${scope}\u0000${name}`;
}
