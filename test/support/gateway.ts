// Test harness: the real gateway (buildApp) listening on port 0 in front of the real simulator on port 0.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type Gateway } from '../../src/app.js';
import { loadGatewayDeps, type LoadDepsOverrides } from '../../src/app-deps.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export interface TestGateway {
  readonly url: string;
  readonly soapUrl: string;
  readonly sim: RunningSimulator;
  readonly gateway: Gateway;
  readonly config: Config;
  readonly server: http.Server;
  readonly dataDir: string;
  /** Every log line the gateway wrote (JSON text), for redaction assertions. */
  logText(): string;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  readonly sim?: SimulatorOptions;
  /** Reuse a running simulator instead of starting one. */
  readonly simulator?: RunningSimulator;
  /** Extra config values (merged over the test defaults). */
  readonly config?: Record<string, unknown>;
  readonly logLevel?: string;
  /** Reuse a data directory (restart tests). */
  readonly dataDir?: string;
  /** Replace parts of the loaded dependencies (e.g. a journal opened with a short busy timeout). */
  readonly deps?: LoadDepsOverrides;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const sim = options.simulator ?? (await startSimulator({ port: 0, approveAfterMs: 0, ...options.sim }));
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'spgw-'));
  const config = loadConfig({
    env: {},
    cwd: ROOT,
    values: deepMerge(
      {
        sensepass: { environment: 'simulator', restBaseUrl: sim.restBaseUrl, socketUrl: sim.url, requestTimeoutMs: 5_000 },
        paths: { data: dataDir },
        log: { level: options.logLevel ?? 'warn' },
      },
      options.config ?? {},
    ),
  });
  const lines: string[] = [];
  const logger: Logger = createLogger({ level: config.log.level, destination: { write: (l: string) => void lines.push(l) } });
  const deps = await loadGatewayDeps(config, logger, options.deps ?? {});
  const gateway = buildApp(config, deps);
  const server = http.createServer(gateway.app);
  server.requestTimeout = 0;
  // A deep accept queue: the load test opens 1,000 POS connections at once (Node's default backlog is 511).
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await gateway.recover();
  let closed = false;
  return {
    url,
    soapUrl: `${url}/soap/acme-pos`,
    sim,
    gateway,
    config,
    server,
    dataDir,
    logText: () => lines.join(''),
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await gateway.shutdown(2_000);
      server.closeAllConnections();
      await done;
      if (options.simulator === undefined) await sim.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] =
      typeof av === 'object' && av !== null && !Array.isArray(av) && typeof v === 'object' && v !== null && !Array.isArray(v)
        ? deepMerge(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** A SOAP 1.1 request for one Acme operation; fields in contract order, `undefined` ones left out. */
export function acmeEnvelope(operation: string, fields: Readonly<Record<string, string | undefined>>): string {
  const body = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (k === 'Items' ? (v as string) : `<t:${k}>${v as string}</t:${k}>`))
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://acme-pos.example.com/payments/2009/types">' +
    `<soap:Body><t:${operation}>${body}</t:${operation}></soap:Body></soap:Envelope>`
  );
}

export interface SoapAnswer {
  readonly status: number;
  readonly text: string;
  /** Child elements of the response element (or of the Fault), by local name. */
  readonly fields: Readonly<Record<string, string>>;
  readonly faultCode: string | undefined;
}

export async function postSoap(url: string, operation: string, xml: string, init: { signal?: AbortSignal } = {}): Promise<SoapAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://acme-pos.example.com/payments/2009/${operation}"` },
    body: xml,
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
  const text = await res.text();
  const fields: Record<string, string> = {};
  for (const m of text.matchAll(/<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)<\/(?:\w+:)?\1>/g)) fields[m[1] as string] ??= m[2] as string;
  const faultCode = /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1];
  return { status: res.status, text, fields, faultCode };
}

export function sale(receipt: string, amount = '12.50', terminal = 'T7'): string {
  return acmeEnvelope('Sale', { TerminalId: terminal, ReceiptNo: receipt, Amount: amount, Currency: 'USD' });
}
