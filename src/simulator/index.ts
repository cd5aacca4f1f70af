// Starts the built-in SensePass simulator: REST, Socket.IO and the control API on one loopback HTTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { CallbackSender } from './callbacks.js';
import { SimulatorControl } from './control-client.js';
import { CredentialRegistry } from './credentials.js';
import { DEMO_HMAC_SECRET } from './demo-merchant.js';
import { Engine } from './engine.js';
import { FaultSwitches } from './faults.js';
import { buildSimulatorApp } from './http-app.js';
import { randomStream } from './random.js';
import { restRoutes } from './rest/routes.js';
import { RuleBook } from './rules.js';
import { Scheduler } from './scheduler.js';
import { SocketHub } from './sockets.js';
import { Store } from './store.js';

export { SimulatorControl } from './control-client.js';
export type { SimulatorInfo, SimulatorStats, ControlAction } from './control-client.js';
export type { Rule, RuleAction } from './rules.js';
export type { Faults } from './faults.js';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Default rule: approve this many ms after a payment is created; 0 = no automatic outcome. Default 2000. */
  approveAfterMs?: number;
  commitWindowSeconds?: number;
  hmacSecret?: string;
  hmacEncoding?: 'hex' | 'base64';
  /** Seeded ids, tokens and fault decisions. */
  deterministic?: boolean;
  seed?: string;
  logger?: Logger;
  /** Reverse approved payments not committed within the window (default true). */
  reverseUncommitted?: boolean;
  /** Status of a reversed payment: 11 TransactionRefund (default) or 9 TransactionCancel. */
  reversalStatus?: 11 | 9;
  /** Callback retries: attempts in all (default 6), first back-off (default 500 ms, doubling, capped at 30 s). */
  callbackMaxAttempts?: number;
  callbackRetryBaseMs?: number;
  callbackTimeoutMs?: number;
}

export interface RunningSimulator {
  readonly url: string;
  readonly restBaseUrl: string;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.logger ?? pino({ level: 'silent' });
  const deterministic = options.deterministic ?? false;
  const seed = options.seed ?? 'sensepass-simulator';
  const scheduler = new Scheduler();
  const store = new Store();
  const faults = new FaultSwitches(randomStream(deterministic, seed, 'faults'));
  const registry = new CredentialRegistry(randomStream(deterministic, seed, 'credentials'));
  const rules = new RuleBook(options.approveAfterMs ?? 2000);
  const callbacks = new CallbackSender(
    {
      secret: options.hmacSecret ?? DEMO_HMAC_SECRET,
      encoding: options.hmacEncoding ?? 'hex',
      maxAttempts: options.callbackMaxAttempts ?? 6,
      baseDelayMs: options.callbackRetryBaseMs ?? 500,
      maxDelayMs: 30_000,
      timeoutMs: options.callbackTimeoutMs ?? 5_000,
    },
    scheduler, faults, randomStream(deterministic, seed, 'hmac'), () => store.counters, log,
  );
  let hub: SocketHub | undefined;
  const sockets = (): SocketHub => {
    if (hub === undefined) throw new Error('socket hub not started');
    return hub;
  };
  const engine = new Engine(
    store, scheduler, rules, sockets, callbacks, randomStream(deterministic, seed, 'ids'),
    {
      commitWindowSeconds: options.commitWindowSeconds ?? 7200,
      reverseUncommitted: options.reverseUncommitted ?? true,
      reversalStatus: options.reversalStatus ?? 11,
    },
    log,
  );
  const reset = (): void => {
    scheduler.clear();
    store.clear();
    rules.reset();
    faults.reset();
    registry.reset();
  };
  const app = buildSimulatorApp({ engine, registry, faults, sockets, reset, log, extraRoutes: restRoutes });
  const server: Server = createServer(app);
  hub = new SocketHub(server, faults, scheduler, () => store.counters, log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  engine.origin = url;
  engine.restBaseUrl = `${url}/api`;
  log.info({ url }, 'SensePass simulator listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    restBaseUrl: `${url}/api`,
    control: new SimulatorControl(url),
    close: () => {
      closing ??= (async () => {
        scheduler.close();
        callbacks.close();
        await sockets().close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
