// B2: this machine's ceiling — a bare Express server answering a fixed SOAP reply — next to the gateway's
// no-wait path (GetTransactionStatus for an unknown receipt: journal lookup, no upstream call), both under autocannon.
import path from 'node:path';
import { encodeSoapReply } from '../src/egress/soap-encode.js';
import { loadServices, serviceFor } from '../src/ingress/wsdl-folders.js';
import { REPO, runForResult } from './lib/children.js';
import { startBareExpress, type GatewayService } from './lib/services.js';
import type { BenchSettings } from './lib/settings.js';
import { ACME_PATH, soapHeaders, statusXml } from './lib/soap-messages.js';
import { median } from './lib/stats.js';
import type { CannonInput, CannonResult } from './processes/cannon-load.js';

export interface CannonFigures {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface B2Result {
  readonly ceiling: CannonFigures;
  readonly gateway: CannonFigures | undefined;
  readonly fraction: number | undefined;
  readonly connections: number;
  readonly runs: { readonly target: string; readonly result: CannonResult }[];
}

/** The reply the gateway's no-wait path gives (NOT_FOUND), encoded by the gateway's own SOAP serialiser. */
async function notFoundReply(): Promise<string> {
  const services = await loadServices(path.join(REPO, 'wsdl'));
  const service = serviceFor(services, 'acme-pos', 'AcmePaymentService');
  if (service === undefined) throw new Error('acme-pos WSDL missing');
  return encodeSoapReply(service, 'GetTransactionStatus', { Result: 'NOT_FOUND', ResultCode: 91, Message: 'No transaction with this receipt number' }, '1.1');
}

export async function runB2(settings: BenchSettings, gateway: GatewayService | undefined): Promise<B2Result> {
  const bare = await startBareExpress(await notFoundReply());
  const body = statusXml('T-B2', 'no-such-receipt');
  const runs: B2Result['runs'] = [];
  try {
    const targets = gateway === undefined ? [['ceiling', bare.url]] : [['ceiling', bare.url], ['gateway', gateway.url]];
    for (let r = 0; r < settings.runs; r++) {
      for (const [target, origin] of r % 2 === 0 ? targets : [...targets].reverse()) {
        const input: CannonInput = {
          url: `${origin}${ACME_PATH}`,
          headers: soapHeaders('GetTransactionStatus'),
          body,
          connections: settings.b2.connections,
          durationSec: settings.b2.durationSec,
          warmupSec: settings.b2.warmupSec,
        };
        const result = await runForResult<CannonResult>('bench/processes/cannon-load.ts', input, `b2 ${target ?? ''}`);
        runs.push({ target: target ?? '', result });
        process.stderr.write(`  b2 ${String(target).padEnd(8)} run ${r + 1}: ${result.perSecond.toFixed(0)}/s p50 ${result.latency.p50Ms.toFixed(2)} ms non2xx ${result.non2xx}\n`);
      }
    }
  } finally {
    await bare.stop();
  }
  const figures = (target: string): CannonFigures | undefined => {
    const rs = runs.filter((x) => x.target === target).map((x) => x.result);
    if (rs.length === 0) return undefined;
    return {
      perSecond: median(rs.map((x) => x.perSecond)),
      p50Ms: median(rs.map((x) => x.latency.p50Ms)),
      p99Ms: median(rs.map((x) => x.latency.p99Ms)),
      non2xx: rs.reduce((s, x) => s + x.non2xx, 0),
      errors: rs.reduce((s, x) => s + x.errors, 0),
    };
  };
  const ceiling = figures('ceiling');
  if (ceiling === undefined) throw new Error('ceiling figures missing');
  const gw = figures('gateway');
  return { ceiling, gateway: gw, fraction: gw === undefined ? undefined : gw.perSecond / ceiling.perSecond, connections: settings.b2.connections, runs };
}
