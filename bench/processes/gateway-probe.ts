// Bench-only wrapper around the real gateway process: starts a loopback probe (memory, event-loop delay, open
// file descriptors) on BENCH_PROBE_PORT, then runs src/main.ts unchanged in the same process.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const port = Number(process.env.BENCH_PROBE_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PROBE_PORT must be set');

// 10 ms sampling: fine enough for a 100 ms p99 target, cheap enough not to disturb the gateway.
const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
// The histogram records the whole interval between samples; the delay is what exceeds the sampling interval.
const lateBy = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
delay.enable();

export interface ProbeReading {
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  readonly heapUsedBytes: number;
  readonly openFds: number;
  readonly eventLoopDelay: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly samples: number };
}

function kib(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m === null ? Number.NaN : Number(m[1]) * 1024;
}

function read(): ProbeReading {
  const mem = process.memoryUsage();
  return {
    rssBytes: kib('VmRSS'),
    peakRssBytes: kib('VmHWM'),
    heapUsedBytes: mem.heapUsed,
    openFds: readdirSync('/proc/self/fd').length,
    eventLoopDelay: {
      p50Ms: lateBy(delay.percentile(50)),
      p99Ms: lateBy(delay.percentile(99)),
      maxMs: lateBy(delay.max),
      samples: delay.count,
    },
  };
}

const probe = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/probe/reset') delay.reset();
  if (req.method === 'POST' && req.url === '/probe/gc') (globalThis as { gc?: () => void }).gc?.();
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(read()));
});
probe.listen(port, '127.0.0.1');
probe.unref();

// A computed specifier: main.ts is the entry point, not a module with exports this file depends on.
const entry = process.env.BENCH_GATEWAY_ENTRY ?? '../../src/main.js';
await import(entry);
