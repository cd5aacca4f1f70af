// Writes a reply and reports whether it was handed completely to the POS connection: onDelivered after 'finish'
// (the payment commit hook), onUndelivered when the connection closed first, exactly one of the two, once.
import type { Response } from 'express';
import type { Logger } from '../log.js';

export interface DeliveryCallbacks {
  readonly onDelivered?: () => void;
  readonly onUndelivered?: () => void;
}

export interface Payload {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends `payload` and settles the callbacks; never throws (a callback error is logged, not propagated). */
export function deliver(res: Response, payload: Payload, callbacks: DeliveryCallbacks, logger: Logger, requestId: string): void {
  let settled = false;
  const settle = (which: 'delivered' | 'undelivered') => {
    if (settled) return;
    settled = true;
    const fn = which === 'delivered' ? callbacks.onDelivered : callbacks.onUndelivered;
    try {
      fn?.();
    } catch (err) {
      logger.error({ err, requestId, hook: which }, 'reply delivery hook failed');
    }
  };
  // The POS already went away: nothing can be written, so the reply counts as undelivered (never committed).
  if (res.destroyed || res.writableEnded || res.socket === null || res.socket.destroyed) {
    settle('undelivered');
    return;
  }
  // 'finish' means the last byte went to the socket, but Node also emits it when that write failed because the
  // peer reset the connection (the socket error is raised just after), so the verdict waits one turn for it.
  const socket = res.socket;
  res.once('finish', () => setImmediate(() => settle(socket?.errored ? 'undelivered' : 'delivered')));
  res.once('close', () => {
    if (!res.writableFinished) settle('undelivered');
  });
  res.once('error', () => settle('undelivered'));
  const body = Buffer.from(payload.body, 'utf8');
  res.writeHead(payload.status, {
    ...payload.headers,
    'Content-Type': payload.contentType,
    'Content-Length': String(body.length),
  });
  res.end(body);
}
