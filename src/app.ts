// buildApp(config, deps): the gateway as an Express app. It never listens; main.ts and tests do.
import express, { type Express } from 'express';
import type { Config } from './config.js';
import type { Logger } from './log.js';

export interface GatewayDeps {
  readonly logger: Logger;
  /** Injectable clock (epoch ms) for deadlines and retention. */
  readonly now?: () => number;
}

/** Readiness: false until recovery has reconciled every unfinished exchange, false again while shutting down. */
export class Readiness {
  #ready = false;
  #reason = 'starting';
  get ready(): boolean {
    return this.#ready;
  }
  get reason(): string {
    return this.#reason;
  }
  markReady(): void {
    this.#ready = true;
    this.#reason = 'ready';
  }
  markNotReady(reason: string): void {
    this.#ready = false;
    this.#reason = reason;
  }
}

export interface Gateway {
  readonly app: Express;
  readonly readiness: Readiness;
  /** Releases everything the gateway holds (sockets, timers, journal). */
  close(): Promise<void>;
}

export function buildApp(config: Config, deps: GatewayDeps): Gateway {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const readiness = new Readiness();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not-ready', reason: readiness.reason });
  });

  deps.logger.debug({ simulator: config.derived.usesSimulator }, 'gateway app built');
  return {
    app,
    readiness,
    async close() {
      readiness.markNotReady('closed');
    },
  };
}
