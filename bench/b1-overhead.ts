// B1: the gateway's overhead — SOAP Sales through the gateway next to the same payments made by a minimal
// direct JSON client, against the same simulator (approve at once). Runs interleave the two sides.
import { runForResult } from './lib/children.js';
import { cpuMs } from './lib/cpu.js';
import type { GatewayService, SimulatorService } from './lib/services.js';
import type { BenchSettings } from './lib/settings.js';
import { median } from './lib/stats.js';
import type { FlowInput, FlowResult } from './processes/flow-load.js';

export interface FlowFigures {
  readonly perSecond: number;
  /** CPU ms per payment in the gateway process (0 for the direct flow) and in the simulator process. */
  readonly gatewayCpuMs: number;
  readonly simulatorCpuMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly wrong: number;
  readonly errors: number;
}

export interface B1Sides {
  readonly direct: FlowFigures;
  readonly gateway: FlowFigures | undefined;
  /** Diagnostic: the same gateway with its journal on tmpfs (what the fsync per state change costs). */
  readonly gatewayTmpfs: FlowFigures | undefined;
}

export interface B1Result {
  /** Closed loop of one (latency a single POS sees). */
  readonly latency: B1Sides;
  /** Closed loop of `concurrency` (throughput). */
  readonly throughput: B1Sides;
  readonly throughputRatio: number | undefined;
  readonly addedP50Ms: number | undefined;
  readonly concurrency: number;
  readonly runs: { readonly phase: string; readonly target: string; readonly result: FlowResult; readonly gatewayCpuMs: number; readonly simulatorCpuMs: number }[];
}

const APPROVE_AT_ONCE = [{ then: 'approve' as const, afterMs: 0 }];

/** Polls the simulator until `expected` commits are counted (10 s at most); returns how many are missing. */
export async function waitForCommits(sim: SimulatorService, expected: number, timeoutMs = 10_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { commits } = await sim.control.stats();
    if (commits >= expected || Date.now() > until) return Math.max(0, expected - commits);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runB1(
  settings: BenchSettings, sim: SimulatorService, gateway: GatewayService | undefined, gatewayTmpfs: GatewayService | undefined,
): Promise<B1Result> {
  const runs: B1Result['runs'] = [];
  const origin = { direct: sim.url, gateway: gateway?.url, gatewayTmpfs: gatewayTmpfs?.url };
  const targets = (['direct', 'gateway', 'gatewayTmpfs'] as const).filter((t) => origin[t] !== undefined);
  const phases = [
    { phase: 'latency', concurrency: 1, total: settings.b1.latencyN },
    { phase: 'throughput', concurrency: settings.b1.concurrency, total: settings.b1.throughputN },
  ];
  for (let r = 0; r < settings.runs; r++) {
    for (const p of phases) {
      // Alternate who goes first so neither side always meets a warmer (or more fragmented) simulator.
      for (const target of r % 2 === 0 ? targets : [...targets].reverse()) {
        await sim.control.reset();
        await sim.control.setRules(APPROVE_AT_ONCE);
        const input: FlowInput = {
          target: target === 'direct' ? 'direct' : 'gateway',
          url: origin[target] ?? '',
          concurrency: p.concurrency,
          total: p.total,
          warmup: settings.b1.warmup,
          runId: `b1-${p.phase}-${r}-${Date.now()}`,
        };
        const gw = target === 'gateway' ? gateway : target === 'gatewayTmpfs' ? gatewayTmpfs : undefined;
        const cpu0 = { gw: cpuMs(gw?.child.pid), sim: cpuMs(sim.child.pid) };
        const flow = await runForResult<FlowResult>('bench/processes/flow-load.ts', input, `b1 ${p.phase} ${target}`);
        // Every approved payment must be committed (the gateway commits after replying, so allow it a moment).
        const uncommitted = await waitForCommits(sim, input.warmup + input.total);
        const result: FlowResult = { ...flow, wrong: flow.wrong + uncommitted, firstError: flow.firstError ?? (uncommitted > 0 ? `${uncommitted} approved payments not committed` : undefined) };
        if (result.firstError !== undefined) process.stderr.write(`  b1 ${p.phase} ${target}: ${result.firstError}\n`);
        const payments = input.warmup + input.total;
        runs.push({
          phase: p.phase, target, result,
          gatewayCpuMs: gw === undefined ? 0 : (cpuMs(gw.child.pid) - cpu0.gw) / payments,
          simulatorCpuMs: (cpuMs(sim.child.pid) - cpu0.sim) / payments,
        });
        process.stderr.write(`  b1 ${p.phase.padEnd(10)} ${target.padEnd(12)} run ${r + 1}: ${result.perSecond.toFixed(0)}/s p50 ${result.latency.p50Ms.toFixed(2)} ms\n`);
      }
    }
  }
  const figures = (phase: string, target: string): FlowFigures | undefined => {
    const mine = runs.filter((x) => x.phase === phase && x.target === target);
    const rs = mine.map((x) => x.result);
    if (rs.length === 0) return undefined;
    return {
      perSecond: median(rs.map((x) => x.perSecond)),
      gatewayCpuMs: median(mine.map((x) => x.gatewayCpuMs)),
      simulatorCpuMs: median(mine.map((x) => x.simulatorCpuMs)),
      p50Ms: median(rs.map((x) => x.latency.p50Ms)),
      p99Ms: median(rs.map((x) => x.latency.p99Ms)),
      wrong: rs.reduce((s, x) => s + x.wrong, 0),
      errors: rs.reduce((s, x) => s + x.errors, 0),
    };
  };
  const need = (f: FlowFigures | undefined): FlowFigures => {
    if (f === undefined) throw new Error('direct client figures missing');
    return f;
  };
  const sides = (phase: string): B1Sides => ({
    direct: need(figures(phase, 'direct')), gateway: figures(phase, 'gateway'), gatewayTmpfs: figures(phase, 'gatewayTmpfs'),
  });
  const latency = sides('latency');
  const throughput = sides('throughput');
  return {
    latency,
    throughput,
    throughputRatio: throughput.gateway === undefined ? undefined : throughput.gateway.perSecond / throughput.direct.perSecond,
    addedP50Ms: latency.gateway === undefined ? undefined : latency.gateway.p50Ms - latency.direct.p50Ms,
    concurrency: settings.b1.concurrency,
    runs,
  };
}
