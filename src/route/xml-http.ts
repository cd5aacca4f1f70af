// Per-request plumbing shared by the plain-XML, dialect and Terminal Agent routes: the request id, the abort
// signal that fires when the client hangs up, and writing an outbound message with its delivery hooks.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { gwError, toGatewayError, type GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OutboundMessage } from './message.js';
import { deliver, type Payload } from './soap-delivery.js';

export function requestIdOf(res: Response): string {
  const fromLocals: unknown = res.locals.requestId;
  return typeof fromLocals === 'string' && fromLocals !== '' ? fromLocals : randomUUID();
}

/** Aborted when the client closes the connection before the reply is written (res 'close', Node 20 / Express 5). */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(gwError('GW_INGRESS_BODY_INCOMPLETE'));
  });
  return controller.signal;
}

/**
 * Writes a reply built from `outbound` and runs its hooks: onDelivered once the whole reply is written (payment
 * commit), onUndelivered if it could not be (never committed). A reply that fails to build is undelivered too.
 */
export function sendReply(
  res: Response, outbound: Extract<OutboundMessage, { kind: 'reply' }>, build: () => Omit<Payload, 'headers'>,
  logger: Logger, requestId: string,
): GatewayError | undefined {
  let payload: Omit<Payload, 'headers'>;
  try {
    payload = build();
  } catch (err) {
    try {
      outbound.onUndelivered?.(toGatewayError(err));
    } catch (hookErr) {
      logger.error({ err: hookErr, requestId }, 'onUndelivered hook failed');
    }
    logger.error({ err, requestId }, 'reply could not be encoded');
    return gwError('GW_SERVER_INTERNAL');
  }
  deliver(res, { ...payload, headers: { 'X-Request-Id': requestId } }, outbound, logger, requestId);
  return undefined;
}

/** Writes a body without delivery hooks (errors and plain reads: nothing to commit). */
export function sendPlain(res: Response, payload: Omit<Payload, 'headers'>, extraHeaders: Readonly<Record<string, string>>, logger: Logger, requestId: string): void {
  deliver(res, { ...payload, headers: { ...extraHeaders, 'X-Request-Id': requestId } }, {}, logger, requestId);
}

/** Logs a refused or failed request at the level its class deserves (server problems are warnings). */
export function logFault(logger: Logger, error: GatewayError, fields: Readonly<Record<string, unknown>>, what: string): void {
  const line = { ...fields, code: error.code };
  if (error.fault === 'server') logger.warn(line, what);
  else logger.info(line, what);
}

export function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
