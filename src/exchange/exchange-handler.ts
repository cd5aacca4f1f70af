// The exchange layer's entry: finds the mapping for a routed message, runs the exchange, tracks it for shutdown.
import { performance } from 'node:perf_hooks';
import { resultOf } from '../admin/metrics.js';
import { operationLabel } from '../admin/operation-label.js';
import { gwError, isGatewayError, toGatewayError } from '../errors.js';
import type { InboundMessage, MessageHandler, OutboundMessage } from '../route/message.js';
import type { Outcome } from './call/transaction.js';
import type { ExchangeDeps } from './exchange-deps.js';
import type { CompiledMapping } from './map/index.js';
import { runExchange } from './stages/run.js';

export interface ExchangeHandler {
  /** Finds the mapping for the message (SOAP operation or XML root) and runs it. */
  readonly handle: MessageHandler;
  /** Runs a message with a given mapping (the dialect endpoints' pass-through mappings), tracked the same way. */
  run(mapping: CompiledMapping, message: InboundMessage): Promise<OutboundMessage>;
  /** Exchanges this process is working on right now. */
  active(): number;
  /** Resolves true once nothing is active, or false when the timeout passes first. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Shutdown: every wait still running gets its deadline ladder now (re-read → cancel → re-read). */
  abortAll(): void;
}

export function createExchangeHandler(deps: ExchangeDeps): ExchangeHandler {
  const running = new Set<AbortController>();
  let idle: Array<() => void> = [];
  const release = (controller: AbortController): void => {
    if (!running.delete(controller) || running.size > 0) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };

  const run = async (mapping: CompiledMapping, message: InboundMessage): Promise<OutboundMessage> => {
    // Bounded memory under a flood: refuse before anything is journaled or sent, so a retry is always safe.
    if (running.size >= deps.maxConcurrent) return { kind: 'fault', error: gwError('GW_SERVER_BUSY') };
    const controller = new AbortController();
    running.add(controller);
    const started = performance.now();
    let outbound: OutboundMessage;
    let outcome: Outcome | undefined;
    try {
      const signal = AbortSignal.any([message.signal, controller.signal]);
      outbound = await runExchange(mapping, { ...message, signal }, deps, (settled) => (outcome = settled.result?.outcome ?? settled.exchange.outcome));
    } catch (err) {
      if (!isGatewayError(err)) deps.logger.error({ err, requestId: message.requestId }, 'exchange failed unexpectedly');
      outbound = { kind: 'fault', error: toGatewayError(err) };
    }
    // Labelled by names a mapping answered to (bounded by the loaded contracts); pass-through paths lose their ids.
    const result = outbound.kind === 'fault' ? 'fault' : resultOf(outcome);
    deps.metrics.exchangeFinished(message.endpoint, operationLabel(message.operation), result, (performance.now() - started) / 1000);
    // Still active until egress reports delivery and the commit that follows has finished (see holdUntilDelivered).
    return holdUntilDelivered(outbound, () => release(controller));
  };

  const handle = async (message: InboundMessage): Promise<OutboundMessage> => {
    // Looked up per message in the contracts current now (watch mode swaps them); the exchange keeps what it got.
    let mapping: CompiledMapping | undefined;
    try {
      mapping = await deps.pickMapping(message.endpoint, message.operation, { message: message.body, identity: message.identity });
    } catch (err) {
      return { kind: 'fault', error: toGatewayError(err) };
    }
    if (mapping === undefined) return { kind: 'fault', error: gwError('GW_ROUTE_UNKNOWN_OPERATION', { operation: message.operation }) };
    return run(mapping, message);
  };

  return {
    handle,
    run,
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

/** Longest an exchange stays active waiting for egress to report its delivery (a router that never does). */
const DELIVERY_HOLD_MS = 10_000;

/**
 * A reply with delivery hooks stays active (for drained() and shutdown) until egress reports it delivered — and the
 * payment commit that follows has finished — or undelivered. Otherwise a SIGTERM could close the journal between
 * writing an approval to the POS and committing it, and SensePass would reverse a payment the POS was told is approved.
 */
function holdUntilDelivered(outbound: OutboundMessage, done: () => void): OutboundMessage {
  if (outbound.kind !== 'reply' || (outbound.onDelivered === undefined && outbound.onUndelivered === undefined)) {
    done();
    return outbound;
  }
  let settled = false;
  const finish = (): void => {
    if (settled) return;
    settled = true;
    clearTimeout(fallback);
    done();
  };
  const fallback = setTimeout(finish, DELIVERY_HOLD_MS);
  fallback.unref();
  const { onDelivered, onUndelivered } = outbound;
  return {
    ...outbound,
    onDelivered: () => {
      try {
        const pending: unknown = onDelivered?.(); // the deliver stage returns the commit's promise
        if (pending instanceof Promise) void pending.finally(finish);
        else finish();
      } catch (err) {
        finish();
        throw err;
      }
    },
    onUndelivered: (reason) => {
      try {
        onUndelivered?.(reason);
      } finally {
        finish();
      }
    },
  };
}
