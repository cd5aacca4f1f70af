// Shared e2e helpers: polling, finding a payment by receipt, short-deadline mappings, a pooled HTTP poster.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { DEMO_DEVICE_ID } from '../../../src/simulator/demo-merchant.js';
import type { SoapAnswer } from '../../support/gateway.js';
import type { TestGateway } from '../../support/gateway.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `read` until `ok` holds or `ms` passes; returns the last value (the caller asserts on it). */
export async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5_000, every = 25): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(every);
  }
}

/** Receipt → TransactionNumber of every payment the simulator holds (posData.receipt set by the Sale mapping). */
export async function receiptsOf(sim: RunningSimulator): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of await sim.control.transactions()) {
    const info = await sim.control.transaction(t.TransactionNumber);
    const receipt = (info.entity.posData as Record<string, unknown> | undefined)?.receipt;
    if (typeof receipt === 'string') out.set(receipt, t.TransactionNumber);
  }
  return out;
}

/** Waits until the simulator holds the payment for `receipt` and returns its number. */
export async function txFor(sim: RunningSimulator, receipt: string, ms = 5_000): Promise<string> {
  const found = await waitFor(() => receiptsOf(sim), (m) => m.has(receipt), ms, 20);
  const n = found.get(receipt);
  if (n === undefined) throw new Error(`no SensePass payment for receipt ${receipt}`);
  return n;
}

/** A third party (another SensePass client) cancels the payment through the REST API. */
export async function cancelUpstream(sim: RunningSimulator, n: string): Promise<number> {
  const res = await fetch(`${sim.restBaseUrl}/transactions/cancel/${n}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: DEMO_DEVICE_ID }),
  });
  await res.text();
  return res.status;
}

/**
 * A copy of mappings/ whose Sale waits `deadline` (and asks SensePass for `timeOutSeconds`): deadline tests in seconds,
 * not the 110 s of the real mapping. Returns the folder and a cleanup function.
 */
export function shortSaleMappings(deadline: string, timeOutSeconds: number): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'spgw-map-'));
  cpSync(path.join(ROOT, 'mappings'), dir, { recursive: true });
  const sale = path.join(dir, 'acme-pos', 'sale.yaml');
  const text = readFileSync(sale, 'utf8');
  const changed = text.replace(/deadline: 110s/, `deadline: ${deadline}`).replace(/timeOut: 100\b/, `timeOut: ${timeOutSeconds}`);
  if (changed === text || !changed.includes(`deadline: ${deadline}`)) throw new Error('sale.yaml no longer has deadline: 110s / timeOut: 100');
  writeFileSync(sale, changed);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Keep-alive pool with no per-host cap: 1,000 concurrent Sales without undici's fetch queueing. */
export function pooledAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity });
}

/** postSoap over node:http with a given agent (same parsing as the harness). */
export function postSoapHttp(url: string, operation: string, xml: string, agent: http.Agent): Promise<SoapAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: `"http://acme-pos.example.com/payments/2009/${operation}"`,
          'content-length': Buffer.byteLength(xml),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const fields: Record<string, string> = {};
          for (const m of text.matchAll(/<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)<\/(?:\w+:)?\1>/g)) fields[m[1] as string] ??= m[2] as string;
          const faultCode = /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1];
          resolve({ status: res.statusCode ?? 0, text, fields, faultCode });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(xml);
  });
}

/** Everything the gateway holds for waits in flight; all zero once no payment is waiting. */
export function leftovers(gw: TestGateway): Record<string, number> {
  const ctx = gw.gateway.context;
  const w = ctx.watcher.stats();
  const r = ctx.reconciler.stats();
  return {
    sockets: w.sockets,
    watches: w.watches,
    watcherTimers: w.timers,
    inFlight: ctx.inFlight.size,
    active: ctx.exchange.active(),
    reconcilerJobs: r.jobs,
    reconcilerTimers: r.timers,
  };
}

export const NOTHING_LEFT = { sockets: 0, watches: 0, watcherTimers: 0, inFlight: 0, active: 0, reconcilerJobs: 0, reconcilerTimers: 0 };
