// The real gateway (loadGatewayDeps + buildApp) served over HTTPS with server.tls, as main.ts does, in front of the
// simulator: the harness in test/support listens on plain HTTP, and mTLS needs the TLS socket.
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type Gateway } from '../../src/app.js';
import { loadGatewayDeps } from '../../src/app-deps.js';
import { loadConfig, type Config } from '../../src/config.js';
import { tlsServerOptions } from '../../src/ingress/auth/index.js';
import { createLogger } from '../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

export interface TlsGateway {
  /** https://127.0.0.1:<port>/soap/acme-pos */
  readonly soapUrl: URL;
  readonly sim: RunningSimulator;
  readonly gateway: Gateway;
  readonly config: Config;
  logText(): string;
  close(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `values` must include server.tls; everything else as in startTestGateway. */
export async function startTlsGateway(values: Record<string, unknown>, logLevel = 'info'): Promise<TlsGateway> {
  const sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-tls-'));
  const config = loadConfig({
    env: {},
    cwd: ROOT,
    values: {
      ...values,
      sensepass: { environment: 'simulator', restBaseUrl: sim.restBaseUrl, socketUrl: sim.url, requestTimeoutMs: 5_000 },
      paths: { data: dataDir },
      log: { level: logLevel },
    },
  });
  const tls = config.server.tls;
  if (tls === undefined) throw new Error('startTlsGateway needs server.tls');
  const lines: string[] = [];
  const logger = createLogger({ level: config.log.level, destination: { write: (l: string) => void lines.push(l) } });
  const gateway = buildApp(config, await loadGatewayDeps(config, logger));
  const server = https.createServer(tlsServerOptions(tls), gateway.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await gateway.recover();
  const port = (server.address() as AddressInfo).port;
  return {
    soapUrl: new URL(`https://127.0.0.1:${port}/soap/acme-pos`),
    sim,
    gateway,
    config,
    logText: () => lines.join(''),
    async close() {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await gateway.shutdown(2_000);
      server.closeAllConnections();
      await done;
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
