// Runs SensePass-shaped requests (SOAP/XML dialect, Terminal Agent JSON) through the exchange runner with a
// pass-through mapping (tracked for shutdown by the exchange handler), and remembers each client's last payment.
import type { AppContext } from '../app.js';
import { gwError } from '../errors.js';
import type { HttpMethod } from '../exchange/call/payment-api.js';
import type { TransactionEntity } from '../exchange/call/transaction.js';
import type { ClientIdentity, OutboundMessage, Protocol } from './message.js';
import { withCappedTimeOut, withoutPosOnlyFields } from '../exchange/authorize/index.js';
import { withOwnDevice, withoutClientCredentials } from './dialect-call.js';
import { passthroughMapping } from './dialect-mapping.js';

export interface PassthroughRequest {
  /** Endpoint family: journal mappingId prefix and log field ('sensepass-soap', 'sensepass-xml', 'terminal-agent'). */
  readonly family: string;
  readonly method: HttpMethod;
  /** SensePass REST path (relative to …/api), already checked; a device id in it is replaced by the client's own. */
  readonly path: string;
  /** SensePass JSON body as the client sent it; credential fields are dropped here (the configured ones are added). */
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
  const { dialects } = ctx.config;
  const lastKey = new Map<string, string>(); // identity name → journal key of its last init (bounded by clients)
  const { authorizer } = ctx;

  const run = async (request: PassthroughRequest): Promise<OutboundMessage> => {
    if (!ctx.readiness.ready) return { kind: 'fault', error: gwError('GW_NOT_READY') };
    // SensePass keys never come from the POS: whatever credential fields it sent are dropped, its own are added.
    const { body: withoutKeys, dropped } = withoutClientCredentials(request.body);
    if (dropped.length > 0) ctx.logger.debug({ requestId: request.requestId, fields: dropped }, 'client credential fields replaced by the configured ones');
    // Callback/return URLs and posData.gatewayKey never come from the POS; timeOut is capped (the guard does both
    // again on the planned call; here they must already shape the journaled payload and the sync deadline).
    const cleaned = withoutPosOnlyFields(withoutKeys);
    if (cleaned.removed.length > 0) ctx.logger.info({ requestId: request.requestId, fields: cleaned.removed }, 'fields a POS must not set were removed');
    const path = withOwnDevice(request.path, ctx.credentialsFor(request.identity));
    const init = request.method === 'POST' && path === '/transactions/init';
    const body = init ? withCappedTimeOut(cleaned.body, authorizer.maxPaymentTimeoutSeconds, authorizer.defaultTimeOutSeconds) : cleaned.body;
    const key = request.idempotencyKey !== undefined ? `idem/${request.idempotencyKey}` : init ? `request/${request.requestId}` : undefined;
    const timeOut = typeof body.timeOut === 'number' && body.timeOut > 0 ? body.timeOut : dialects.defaultTimeOutSeconds;
    const route = { kind: 'pass-through', family: request.family, method: request.method, path, sync: request.sync } as const;
    const mapping = authorizer.guard(
      passthroughMapping({
        family: request.family,
        method: request.method,
        path,
        key,
        await: request.sync ? { deadlineMs: timeOut * 1000 + dialects.syncGraceMs } : undefined,
      }),
      route,
    );
    if (init && key !== undefined) lastKey.set(request.identity.name, key);
    // The exchange handler tracks it like a mapped exchange: shutdown drains it and runs its deadline ladder.
    return ctx.exchange.run(mapping, {
      endpoint: request.family,
      operation: `${request.method} ${path}`,
      protocol: request.protocol,
      body,
      identity: request.identity,
      requestId: request.requestId,
      signal: request.signal,
    });
  };

  return {
    run,
    async last(identity, signal) {
      authorizer.assertAllowed(identity, { kind: 'path', method: 'GET', path: '/api/transactions/last' });
      const key = lastKey.get(identity.name);
      const exchange = key === undefined ? undefined : await ctx.journal.findByKey(identity.name, key);
      if (exchange?.transactionNumber === undefined) throw gwError('GW_AGENT_NO_TRANSACTION');
      return ctx.api.getTransaction(exchange.transactionNumber, ctx.credentialsFor(identity), { signal });
    },
  };
}
