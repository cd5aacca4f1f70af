// Turns the measured results into the printed tables, the target verdicts, and the JSON/Markdown files.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { B1Result } from '../b1-overhead.js';
import type { B2Result } from '../b2-ceiling.js';
import type { B3Row, B3Run } from '../b3-waiting.js';
import type { MicroResult } from '../processes/micro-costs.js';
import { REPO } from './children.js';
import type { MachineFacts } from './machine.js';
import type { BenchSettings } from './settings.js';
import { fmt, renderMarkdown, renderText, type Table } from './table.js';

export interface BenchResults {
  readonly machine: MachineFacts;
  readonly settings: BenchSettings;
  micro?: MicroResult;
  b1?: B1Result;
  b2?: B2Result;
  b3?: { rows: B3Row[]; runs: B3Run[] };
  readonly missing: string[];
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export function verdicts(r: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  const b1 = r.b1;
  out.push({ target: 'gateway throughput ≥ 0.8 × direct client (B1)', measured: fmt.ratio(b1?.throughputRatio), met: b1?.throughputRatio === undefined ? undefined : b1.throughputRatio >= 0.8 });
  out.push({ target: 'added p50 latency ≤ 1 ms (B1, one POS)', measured: b1?.addedP50Ms === undefined ? '—' : `${b1.addedP50Ms.toFixed(2)} ms`, met: b1?.addedP50Ms === undefined ? undefined : b1.addedP50Ms <= 1 });
  out.push({ target: 'no-wait path ≥ 0.6 × bare Express (B2)', measured: fmt.ratio(r.b2?.fraction), met: r.b2?.fraction === undefined ? undefined : r.b2.fraction >= 0.6 });
  for (const mode of r.settings.b3.modes) {
    const row = r.b3?.rows.find((x) => x.mode === mode && x.k === 10_000);
    out.push({
      target: `10,000 waiting (${mode}): peak RSS < 1 GB, event-loop p99 < 100 ms, 0 wrong (B3)`,
      measured: row === undefined ? '—' : `${fmt.n(row.peakRssMiB)} MiB, ${fmt.n(row.eventLoopP99Ms, 1)} ms, ${row.wrong} wrong`,
      met: row === undefined ? undefined : row.peakRssMiB < 1024 && row.eventLoopP99Ms < 100 && row.wrong === 0,
    });
  }
  return out;
}

export function tables(r: BenchResults): Table[] {
  const t: Table[] = [];
  const m = r.machine;
  t.push({
    title: 'Machine',
    header: ['fact', 'value'],
    rows: [['date', m.date], ['cpu', `${m.cpu} × ${m.cores}`], ['memory', `${m.memoryGiB} GiB`], ['os', m.os], ['node', m.node],
      ['load average at start / end', `${m.loadAtStart} / ${(Math.round((os.loadavg()[0] ?? 0) * 100) / 100).toString()}`],
      ['open files', m.openFilesLimit], ['ephemeral ports', m.ephemeralPorts], ['commit', m.gitCommit], ['runner', m.runner],
      ['runs per figure', `${r.settings.runs} (medians)${r.settings.quick ? ' — QUICK settings' : ''}`]],
  });
  if (r.micro !== undefined) {
    const u = r.micro;
    t.push({
      title: `Per-message cost of one Sale, in-process (µs, median of ${u.runs} × ${u.iterations} iterations)`,
      header: ['step', 'µs'],
      rows: [['SOAP parse (decode + schema typing)', fmt.n(u.parseUs, 1)], ['mapping (key + plan + reply, JSONata)', fmt.n(u.mapUs, 1)],
        ['SOAP serialise', fmt.n(u.serialiseUs, 1)], ['total', fmt.n(u.totalUs, 1)]],
    });
  }
  if (r.b1 !== undefined) {
    const b = r.b1;
    const row = (label: string, f: B1Result['latency']['direct'] | undefined): string[] =>
      [label, fmt.n(f?.perSecond), fmt.n(f?.p50Ms, 2), fmt.n(f?.p99Ms, 2), fmt.n(f?.gatewayCpuMs, 2), fmt.n(f?.simulatorCpuMs, 2), f === undefined ? '—' : String(f.wrong + f.errors)];
    t.push({
      title: 'B1 overhead: Sale approved at once (payments/s, latency ms, CPU ms per payment)',
      header: ['flow', 'per s', 'p50', 'p99', 'gw CPU', 'sim CPU', 'wrong'],
      rows: [
        row('direct JSON client, 1 POS', b.latency.direct), row('gateway SOAP, 1 POS', b.latency.gateway),
        row('  diagnostic: gateway, journal on tmpfs', b.latency.gatewayTmpfs),
        row(`direct JSON client, ${b.concurrency} concurrent`, b.throughput.direct), row(`gateway SOAP, ${b.concurrency} concurrent`, b.throughput.gateway),
        row('  diagnostic: gateway, journal on tmpfs', b.throughput.gatewayTmpfs),
        ['gateway / direct throughput', fmt.ratio(b.throughputRatio), '', '', '', '', ''],
        ['added p50 latency (1 POS)', '', b.addedP50Ms === undefined ? '—' : `+${b.addedP50Ms.toFixed(2)}`, '', '', '', ''],
      ],
    });
  }
  if (r.b2 !== undefined) {
    const b = r.b2;
    const row = (label: string, f: B2Result['ceiling'] | undefined): string[] =>
      [label, fmt.n(f?.perSecond), fmt.n(f?.p50Ms, 2), fmt.n(f?.p99Ms, 2), f === undefined ? '—' : String(f.non2xx + f.errors)];
    t.push({
      title: `B2 ceiling: autocannon, ${b.connections} connections (requests/s, latency ms)`,
      header: ['server', 'per s', 'p50', 'p99', 'non-2xx'],
      rows: [row('bare Express, fixed SOAP reply', b.ceiling), row('gateway no-wait path (status NOT_FOUND)', b.gateway),
        ['gateway / ceiling', fmt.ratio(b.fraction), '', '', '']],
    });
  }
  if (r.b3 !== undefined) {
    t.push({
      title: `B3 waiting payments: K Sales held, then approved in one burst (journal on ${r.settings.b3.journal})`,
      header: ['socket mode', 'K', 'runs', 'peak RSS MiB', 'KiB / waiting', 'loop p99 ms', 'loop max ms', 'open fds', 'burst → last reply ms', 'wrong'],
      rows: r.b3.rows.map((x) => [x.mode, String(x.k), String(x.runs), fmt.n(x.peakRssMiB), fmt.n(x.perWaitingKiB, 1), fmt.n(x.eventLoopP99Ms, 1),
        fmt.n(x.eventLoopMaxMs), fmt.n(x.openFdsHolding), fmt.n(x.approveToLastReplyMs), String(x.wrong)]),
    });
  }
  t.push({
    title: 'Targets',
    header: ['target', 'measured', 'met'],
    rows: verdicts(r).map((v) => [v.target, v.measured, v.met === undefined ? 'not measured' : v.met ? 'yes' : 'NO']),
    ...(r.missing.length > 0 ? { note: `Not measured: ${r.missing.join('; ')}` } : {}),
  });
  return t;
}

export function printReport(r: BenchResults): void {
  for (const t of tables(r)) process.stdout.write(`${renderText(t)}\n`);
}

/** bench/results/<timestamp>.json, latest.json and latest.md (the tables for docs/performance.md). */
export function writeReport(r: BenchResults): string {
  const dir = path.join(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ ...r, settings: { ...r.settings, only: [...r.settings.only] }, verdicts: verdicts(r) }, null, 2);
  const stamp = r.machine.date.replace(/[:.]/g, '-');
  writeFileSync(path.join(dir, `${stamp}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  writeFileSync(path.join(dir, 'latest.md'), `${tables(r).map(renderMarkdown).join('\n\n')}\n`);
  return path.join(dir, 'latest.json');
}
