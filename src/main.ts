// The process entry (`npm start`): reads the environment, starts the simulator when no credentials are set,
// listens, reconciles the journal before reporting ready, and shuts down gracefully on SIGTERM/SIGINT.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildAdminApp } from './admin/admin-app.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './admin/prometheus-metrics.js';
import { buildApp } from './app.js';
import { loadGatewayDeps } from './app-deps.js';
import { loadConfig, type Config } from './config.js';
import { isGatewayError } from './errors.js';
import { tlsServerOptions } from './ingress/auth/index.js';
import { exposureFindings, refusalLine } from './ingress/auth/exposure.js';
import { endpointNames } from './route/endpoint-names.js';
import { createLogger, type Logger } from './log.js';
import { watchContracts } from './reload/watch-contracts.js';
import { startSimulator, type RunningSimulator } from './simulator/index.js';

const USAGE = 'usage: npm start [-- --watch]   (npm run dev = npm start -- --watch: reload WSDLs and mappings on change)';

async function main(): Promise<void> {
  const flags = process.argv.slice(2);
  const unknown = flags.find((f) => f !== '--watch');
  if (unknown !== undefined) {
    process.stderr.write(`unknown argument "${unknown}"\n${USAGE}\n`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${isGatewayError(err) ? err.message : String(err)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.log.level });
  let simulator: RunningSimulator | undefined;
  if (config.derived.embedSimulator) {
    simulator = await startSimulator({
      host: config.simulator.host,
      port: config.simulator.port,
      approveAfterMs: config.simulator.approveAfterMs,
      commitWindowSeconds: config.simulator.commitWindowSeconds,
      hmacSecret: config.simulator.hmacSecret,
      ...(config.simulator.seed === undefined ? {} : { seed: config.simulator.seed, deterministic: true }),
    });
    // The simulator may have been given port 0: point the gateway at the address it really got.
    config = loadConfig({ values: { sensepass: { restBaseUrl: simulator.restBaseUrl, socketUrl: simulator.url } } });
    logger.warn(
      { simulator: simulator.url },
      '*** SIMULATOR MODE: no SensePass credentials configured; payments go to the built-in simulator and NO REAL MONEY MOVES ***',
    );
  } else if (config.derived.usesSimulator) {
    logger.warn({ sensepass: config.derived.restBaseUrl }, '*** SIMULATOR MODE: using an external simulator; NO REAL MONEY MOVES ***');
  } else {
    logger.info({ environment: config.sensepass.environment, sensepass: config.derived.restBaseUrl }, 'SensePass target');
  }

  // One registry for this gateway: /metrics on the admin listener reads it.
  const metrics = config.admin.enabled ? createPrometheusMetrics() : undefined;
  let deps;
  try {
    deps = await loadGatewayDeps(config, logger, metrics === undefined ? {} : { metrics });
  } catch (err) {
    logger.fatal({ code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, isGatewayError(err) ? err.message : 'start-up failed');
    // The same list as plain text for the operator at the console (the log line escapes its newlines).
    process.stderr.write(`start-up failed: ${isGatewayError(err) ? `${err.code}: ${err.message}` : 'see the log'}\n`);
    await simulator?.close();
    process.exit(1);
  }
  // Refuse before the port opens: real money, a network address and anonymous (or clear-text password) callers.
  const endpoints = endpointNames(config, deps.soapServices.keys(), deps.mappings);
  const refusal = refusalLine(exposureFindings(config, endpoints, config.server.host));
  if (refusal !== undefined) {
    process.stderr.write(`${refusal}\n`);
    await deps.journal.close();
    await simulator?.close();
    process.exit(1);
  }
  const gateway = buildApp(config, deps);
  const server = config.server.tls === undefined ? http.createServer(gateway.app) : https.createServer(tlsServerOptions(config.server.tls), gateway.app);
  // Waits may last minutes; the POS decides when to give up, not Node's defaults.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  // A deep accept queue: a store opening at 9:00 sends every till at once (Node's default backlog is 511).
  await new Promise<void>((resolve) => server.listen({ port: config.server.port, host: config.server.host, backlog: 4096 }, resolve));
  const bound = server.address() as AddressInfo;
  // The same rule on the address the socket really got (a host name may resolve to a network address).
  const findings = exposureFindings(config, endpoints, bound.address);
  const late = refusalLine(findings);
  if (late !== undefined) {
    process.stderr.write(`${late}\n`);
    server.close();
    await deps.journal.close();
    await simulator?.close();
    process.exit(1);
  }
  for (const f of findings) logger.warn({ exposure: f.severity }, f.message);
  let admin: http.Server | undefined;
  try {
    admin = await listenAdmin(config, metrics, logger);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'listen failed';
    process.stderr.write(`admin listener on ${config.admin.host}:${config.admin.port} failed (${reason}); set admin.port or admin.enabled: false\n`);
    server.close();
    await deps.journal.close();
    await simulator?.close();
    process.exit(1);
  }
  const base = localUrl(config.server.tls === undefined ? 'http' : 'https', bound);
  logger.info(
    { listening: `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`, url: base, soap: [...deps.soapServices.keys()].map((e) => `${base}/soap/${e}?wsdl`) },
    'gateway listening',
  );

  // Installed before recovery: a stop while recovery is still reconciling a long journal ends cleanly (the
  // recovery stops taking entries, the journal is closed) instead of killing the process mid-write.
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let watcher: ReturnType<typeof watchContracts> | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    watcher?.close();
    logger.info({ signal }, 'shutting down: no new requests; waiting payments get their answer');
    stopped = shutdown(server, gateway.shutdown.bind(gateway), config, logger, simulator)
      .then(() => closeServer(admin))
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    const summary = await gateway.recover();
    if (stopping) return;
    logger.info({ ready: true, reconciled: summary.reconciled.length, resumed: summary.resumed.length }, 'gateway ready');
    // Watch mode swaps only the gateway's contracts: the embedded simulator and its payments stay as they are.
    if (flags.includes('--watch')) {
      watcher = watchContracts({ config, gateway, logger, base: process.cwd(), report: (line) => process.stderr.write(`${line}\n`) });
    }
  } catch (err) {
    if (stopping) return void (await stopped);
    logger.fatal({ code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'recovery failed');
    process.exit(1);
  }
}

/** The admin listener (/metrics), after the gateway's port; a port already taken stops start-up like the gateway's. */
async function listenAdmin(config: Config, metrics: PrometheusMetrics | undefined, logger: Logger): Promise<http.Server | undefined> {
  if (metrics === undefined) return undefined;
  const server = http.createServer(buildAdminApp(config, { registry: metrics.registry }));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.admin.port, host: config.admin.host }, resolve);
  });
  const bound = server.address() as AddressInfo;
  logger.info({ url: `${localUrl('http', bound)}/metrics`, basicAuth: config.admin.basicAuth !== undefined }, 'admin listener (metrics)');
  return server;
}

function closeServer(server: http.Server | undefined): Promise<void> {
  if (server === undefined) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** A URL that works from this machine: the bound address, or loopback when bound to every interface. */
function localUrl(scheme: string, bound: AddressInfo): string {
  if (bound.address === '0.0.0.0') return `${scheme}://127.0.0.1:${bound.port}`;
  if (bound.address === '::') return `${scheme}://[::1]:${bound.port}`;
  return `${scheme}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
}

async function shutdown(
  server: http.Server,
  stopGateway: (graceMs: number) => Promise<void>,
  config: Config,
  logger: Logger,
  simulator: RunningSimulator | undefined,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await stopGateway(config.server.shutdownGraceMs);
  server.closeAllConnections();
  await closed;
  await simulator?.close();
  logger.info('stopped');
}

void main();
