// Receives SensePass callbacks (a third notification source, off by default): verifies the HMAC, then hands the
// entity (POST) or a status-read request (GET ?TransactionNumber=) to the same waits the socket feeds.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { gwError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { toEntity } from '../call/parse-entity.js';
import { verifyCallbackSignature } from './callback-signature.js';
import type { StatusWatcher } from './status-watcher.js';

export interface CallbackRouterOptions {
  /** e.g. config.sensepass.callbackPath */
  readonly path: string;
  readonly hmacSecret: string;
  readonly watcher: StatusWatcher;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
}

const header = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Express router for POST and GET on `path`. A bad signature goes to next(GW_CALLBACK_SIGNATURE) for egress to
 * render. A verified callback always gets 204, even when nobody waits for it: a 4xx would make SensePass retry for days.
 */
export function createCallbackRouter(options: CallbackRouterOptions): Router {
  const router = express.Router();
  const log = options.logger;

  const verified = (req: Request, raw: Buffer): boolean => {
    const ok = verifyCallbackSignature(options.hmacSecret, header(req, 'hmac-random-key'), header(req, 'hmac-authorization'), raw);
    if (!ok) log.warn({ method: req.method, bytes: raw.length }, 'callback with an invalid signature refused');
    return ok;
  };

  router.post(
    options.path,
    express.raw({ type: () => true, limit: options.maxBodyBytes ?? 1_048_576 }),
    (req: Request, res: Response, next: NextFunction) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verified(req, raw)) return next(gwError('GW_CALLBACK_SIGNATURE'));
      const entity = toEntity(raw.toString('utf8'));
      if (entity === undefined) log.warn({ bytes: raw.length }, 'signed callback without a transaction entity ignored');
      else {
        const waited = options.watcher.feed(entity, 'callback');
        log.debug({ transactionNumber: entity.TransactionNumber, status: entity.status, waited }, 'callback received');
      }
      res.status(204).end();
    },
  );

  router.get(options.path, (req: Request, res: Response, next: NextFunction) => {
    if (!verified(req, Buffer.alloc(0))) return next(gwError('GW_CALLBACK_SIGNATURE'));
    const n = req.query.TransactionNumber;
    // GET mode carries no entity: it only tells us to read the status (the truth) again.
    if (typeof n === 'string' && n !== '') options.watcher.poke(n);
    res.status(204).end();
  });

  return router;
}
