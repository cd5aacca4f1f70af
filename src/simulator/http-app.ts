// The simulator's Express app: REST under /api (with fault injection), control API under /_sim, one error shape.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { CredentialRegistry } from './credentials.js';
import type { Engine } from './engine.js';
import type { FaultSwitches } from './faults.js';
import { controlRouter, type ControlDeps } from './control/control-routes.js';
import { cancelRoutes } from './rest/cancel.js';
import { commitRoutes } from './rest/commit.js';
import { transactionRoutes } from './rest/transactions.js';
import { errorBody, SimError, simError } from './sim-errors.js';

/** JSON bodies above this are refused with 413 (SensePass bodies are small; this is a guard, not a contract). */
export const MAX_BODY = '256kb';

export type RouteInstaller = (router: Router, engine: Engine, registry: CredentialRegistry) => void;

export function buildSimulatorApp(deps: ControlDeps & { faults: FaultSwitches; log: Logger; extraRoutes: readonly RouteInstaller[] }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Any content type is read as JSON, so a malformed body is a 400 in the documented shape, whatever its label.
  const json = express.json({ limit: MAX_BODY, type: () => true, strict: false });

  const api = Router();
  api.use(deps.faults.middleware());
  api.use(json);
  transactionRoutes(api, deps.engine, deps.registry);
  cancelRoutes(api, deps.engine, deps.registry);
  commitRoutes(api, deps.engine);
  for (const install of deps.extraRoutes) install(api, deps.engine, deps.registry);
  app.use('/api', api);

  app.use('/_sim', json, controlRouter(deps));

  app.use((_req: Request, _res: Response, next: NextFunction) => next(simError('SIM_NOT_FOUND', { what: 'Route' })));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = toSimError(err);
    if (e.code === 'SIM_INTERNAL') deps.log.error({ err }, 'simulator internal error');
    if (res.headersSent) return;
    res.status(e.status).json(errorBody(e));
  });
  return app;
}

/** body-parser errors by type; anything unknown is an internal error without its text. */
function toSimError(err: unknown): SimError {
  if (err instanceof SimError) return err;
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  if (type === 'entity.parse.failed') return simError('SIM_MALFORMED_JSON');
  if (type === 'entity.too.large') return simError('SIM_BODY_TOO_LARGE');
  if (typeof type === 'string' && (type.startsWith('encoding.') || type.startsWith('charset.') || type === 'request.size.invalid' || type === 'request.aborted')) {
    return simError('SIM_INVALID_INPUT', { detail: 'the body cannot be read' });
  }
  return simError('SIM_INTERNAL');
}
