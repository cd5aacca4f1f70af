// B2's load generator (own process): autocannon against one URL with one fixed SOAP request; latencies are taken
// from its per-response event (float ms) because its own histogram rounds to whole milliseconds.
import autocannon from 'autocannon';
import { summariseLatencies, type LatencySummary } from '../lib/stats.js';
import { childInput, finish } from './child-io.js';

export interface CannonInput {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
}

export interface CannonResult {
  readonly perSecond: number;
  readonly completed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly latency: LatencySummary;
}

const input = childInput<CannonInput>();

function run(durationSec: number, latencies: number[] | undefined): Promise<{ completed: number; non2xx: number; errors: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: input.url, method: 'POST', headers: input.headers, body: input.body, connections: input.connections, duration: durationSec },
      (err, result) => {
        if (err !== null) reject(err);
        else resolve({ completed: result['2xx'], non2xx: result.non2xx, errors: result.errors + result.timeouts, seconds: result.duration });
      },
    );
    if (latencies !== undefined) instance.on('response', (_c, status, _b, ms) => { if (status === 200) latencies.push(ms); });
  });
}

async function main(): Promise<CannonResult> {
  if (input.warmupSec > 0) await run(input.warmupSec, undefined);
  const latencies: number[] = [];
  const r = await run(input.durationSec, latencies);
  return { perSecond: r.completed / r.seconds, completed: r.completed, non2xx: r.non2xx, errors: r.errors, latency: summariseLatencies(latencies) };
}

finish(main());
