// buildAdminApp: the admin listener (GET /metrics in Prometheus text format), apart from the POS port so it can stay
// on loopback or behind its own credentials. Nothing on it moves money. It never listens; main.ts and tests do.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import { gwError, type ErrorCode } from '../errors.js';
import { secretEquals } from '../ingress/auth/secret-equals.js';

export interface AdminDeps {
  /** The gateway's own metrics registry (createPrometheusMetrics().registry). */
  readonly registry: Registry;
}

export function buildAdminApp(config: Pick<Config, 'admin'>, deps: AdminDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const auth = config.admin.basicAuth;
  if (auth !== undefined) app.use(requireBasic(auth.user, auth.password));
  app.get('/metrics', (_req, res, next) => {
    deps.registry
      .metrics()
      .then((text) => res.type(deps.registry.contentType).send(text))
      .catch(next);
  });
  app.use((_req, res) => {
    sendError(res, 'GW_ROUTE_NOT_FOUND');
  });
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, 'GW_SERVER_INTERNAL');
  });
  return app;
}

/** HTTP Basic on every admin route; user and password are both compared in constant time. */
function requireBasic(user: string, password: string) {
  const refuse = (res: Response): void => {
    res.set('WWW-Authenticate', 'Basic realm="sensepass-gateway admin", charset="UTF-8"');
    sendError(res, 'GW_AUTH_FAILED');
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (match === null) return refuse(res);
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refuse(res);
    const userOk = secretEquals(decoded.slice(0, colon), user);
    const passwordOk = secretEquals(decoded.slice(colon + 1), password);
    if (userOk && passwordOk) next();
    else refuse(res);
  };
}

/** Catalogue errors as the gateway's JSON routes render them (code and message; nothing internal). */
function sendError(res: Response, code: ErrorCode): void {
  const error = gwError(code);
  res.status(error.status).json({ code: error.code, message: error.message });
}
