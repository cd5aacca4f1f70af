// Terminal Agent–compatible JSON endpoints (reference §10): `POST /api/transactions/init/sync` blocks until the
// final status (a client that hangs up cancels the payment), `GET /api/transactions/last`, `GET /api/devices`, and
// every other `/api/*` call forwarded to SensePass with the client's configured credentials added.
import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../app.js';
import { gwError, toGatewayError, type GatewayError } from '../errors.js';
import { authenticate } from '../ingress/auth/index.js';
import { bodyLimitsFrom, readBody } from '../ingress/read-body.js';
import { parseJsonObject } from './agent-json.js';
import { agentCall, idempotencyKeyOf } from './dialect-call.js';
import { passthroughExchangesFor } from './dialect-exchange.js';
import type { PassthroughReply } from './dialect-mapping.js';
import type { ClientIdentity } from './message.js';
import { clientGone, header, logFault, requestIdOf, sendPlain, sendReply } from './xml-http.js';

/** Endpoint name for `endpoints.<name>.auth` in the configuration. */
export const TERMINAL_AGENT = 'terminal-agent';
const JSON_TYPE = 'application/json; charset=utf-8';

export function createTerminalAgentRouter(ctx: AppContext): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  if (!ctx.config.dialects.enabled) return router;
  const limits = bodyLimitsFrom(ctx.config.limits, ['application/json']);
  const identify = (req: Request): ClientIdentity => authenticate({ headers: req.headers, socket: req.socket }, TERMINAL_AGENT, ctx.config, ctx.authDeps);

  router.get('/api/transactions/last', (req, res) => {
    const requestId = requestIdOf(res);
    void (async () => {
      try {
        if (!ctx.readiness.ready) throw gwError('GW_NOT_READY');
        const entity = await passthroughExchangesFor(ctx).last(identify(req), clientGone(res));
        sendJson(res, 200, entity, requestId, ctx);
      } catch (err) {
        writeError(res, toGatewayError(err), req, requestId, ctx);
      }
    })();
  });

  router.get('/api/devices', (req, res) => {
    const requestId = requestIdOf(res);
    try {
      const identity = identify(req);
      ctx.authorizer.assertAllowed(identity, { kind: 'path', method: 'GET', path: '/api/devices' });
      const deviceId = ctx.credentialsFor(identity).deviceId;
      if (deviceId === undefined) throw gwError('GW_AGENT_NO_DEVICE');
      // The deviceId is a credential (reference §3): the POS gets an opaque, stable handle unless configured otherwise.
      sendJson(res, 200, { deviceId: ctx.config.dialects.revealDeviceId ? deviceId : deviceHandle(identity, deviceId) }, requestId, ctx);
    } catch (err) {
      writeError(res, toGatewayError(err), req, requestId, ctx);
    }
  });

  router.all('/api/*path', (req, res) => void forward(req, res, ctx, limits, identify));
  return router;
}

async function forward(
  req: Request, res: Response, ctx: AppContext, limits: ReturnType<typeof bodyLimitsFrom>, identify: (req: Request) => ClientIdentity,
): Promise<void> {
  const requestId = requestIdOf(res);
  const signal = clientGone(res);
  try {
    const call = agentCall(req.method, segmentsOf(req));
    const idempotencyKey = idempotencyKeyOf(header(req, 'idempotency-key'));
    const json = call.method === 'GET' || isEmpty(req) ? {} : parseJsonObject((await readBody(req, limits)).text, ctx.config.limits.maxDepth);
    const identity = identify(req);
    const outbound = await passthroughExchangesFor(ctx).run({
      family: TERMINAL_AGENT,
      method: call.method,
      path: call.path,
      body: json,
      sync: call.sync,
      idempotencyKey,
      identity,
      protocol: 'json',
      requestId,
      signal,
    });
    if (outbound.kind === 'fault') return writeError(res, outbound.error, req, requestId, ctx);
    const reply = outbound.value as unknown as PassthroughReply;
    const status = reply.status >= 200 && reply.status < 300 ? reply.status : 200;
    const failed = sendReply(res, outbound, () => ({ status, contentType: JSON_TYPE, body: JSON.stringify(reply.body ?? {}) }), ctx.logger, requestId);
    if (failed !== undefined) writeError(res, failed, req, requestId, ctx);
    else ctx.logger.debug({ requestId, method: call.method, path: call.path, sync: call.sync }, 'terminal agent reply');
  } catch (err) {
    const error = toGatewayError(err);
    if (error !== err) ctx.logger.error({ err, requestId }, 'unexpected error in a terminal agent endpoint');
    writeError(res, error, req, requestId, ctx);
  }
}

/** A stable per-client stand-in for the device id; `transactions/cancelByDeviceId/<handle>` acts on the real one. */
export function deviceHandle(identity: ClientIdentity, deviceId: string): string {
  return `gw-${createHash('sha256').update(`${identity.name}\u0000${deviceId}`).digest('hex').slice(0, 40)}`;
}

function sendJson(res: Response, status: number, value: unknown, requestId: string, ctx: AppContext): void {
  sendPlain(res, { status, contentType: JSON_TYPE, body: JSON.stringify(value) }, {}, ctx.logger, requestId);
}

function writeError(res: Response, error: GatewayError, req: Request, requestId: string, ctx: AppContext): void {
  logFault(ctx.logger, error, { requestId, path: req.path }, 'terminal agent error');
  ctx.metrics.fault(error.code);
  const allow: Record<string, string> = error.code === 'GW_ROUTE_METHOD_NOT_ALLOWED' ? { Allow: 'GET, POST, PATCH' } : {};
  const body = JSON.stringify({ code: error.code, message: error.message, requestId });
  sendPlain(res, { status: error.status, contentType: JSON_TYPE, body }, allow, ctx.logger, requestId);
}

/** A POST/PATCH without a body (e.g. `transactions/cancel/{n}`, whose only fields are the credentials we add). */
function isEmpty(req: Request): boolean {
  return header(req, 'content-length') === '0' || (header(req, 'content-length') === undefined && header(req, 'transfer-encoding') === undefined);
}

function segmentsOf(req: Request): string[] {
  const p: unknown = (req.params as Record<string, unknown>).path;
  return Array.isArray(p) ? p.map(String) : typeof p === 'string' ? p.split('/') : [];
}
