// Receives SensePass callbacks (a third notification source, off by default): verifies the HMAC, refuses a random key
// seen before (replay), then hands the entity (POST) or a status-read request (GET ?TransactionNumber=) to the same
// waits the socket feeds. Either way a callback is only a hint: the waits read the status by REST before answering.
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { gwError } from '../../errors.js';
import { NonceCache } from '../../ingress/auth/nonce-cache.js';
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
  /** How long an HMAC-Random-Key is remembered (config sensepass.callbackReplayWindowSeconds, in ms here). */
  readonly replayWindowMs?: number;
  /** Keys remembered at most (config sensepass.maxCallbackKeys); when full, callbacks are refused (fail closed). */
  readonly maxKeys?: number;
  readonly now?: () => number;
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

  // Only verified callbacks reach the cache, so strangers cannot fill it; SensePass signs every attempt with a new key.
  const seen = new NonceCache(options.replayWindowMs ?? 86_400_000, options.maxKeys ?? 100_000, options.now ?? Date.now);

  /** undefined when the callback may be used, else the catalogue error to refuse it with. */
  const refusal = (req: Request, raw: Buffer) => {
    const key = header(req, 'hmac-random-key');
    if (!verifyCallbackSignature(options.hmacSecret, key, header(req, 'hmac-authorization'), raw)) {
      log.warn({ method: req.method, bytes: raw.length }, 'callback with an invalid signature refused');
      return gwError('GW_CALLBACK_SIGNATURE');
    }
    // A digest, not the header itself: each remembered key costs the same few bytes whatever its length.
    if (!seen.remember(createHash('sha256').update(key as string).digest('base64'))) {
      log.warn({ method: req.method, remembered: seen.size }, 'callback refused: random key already seen (replay) or replay cache full');
      return gwError('GW_CALLBACK_REPLAYED');
    }
    return undefined;
  };

  router.post(
    options.path,
    express.raw({ type: () => true, limit: options.maxBodyBytes ?? 1_048_576 }),
    (req: Request, res: Response, next: NextFunction) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const refused = refusal(req, raw);
      if (refused !== undefined) return next(refused);
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
    const refused = refusal(req, Buffer.alloc(0));
    if (refused !== undefined) return next(refused);
    const n = req.query.TransactionNumber;
    // GET mode carries no entity: it only tells us to read the status (the truth) again.
    if (typeof n === 'string' && n !== '') options.watcher.poke(n);
    res.status(204).end();
  });

  return router;
}
