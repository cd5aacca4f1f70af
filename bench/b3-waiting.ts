// B3: K Sales waiting at once (the simulator holds them, then approves them all in one burst): memory per
// waiting payment, event-loop delay p99, and every outcome checked — per Socket.IO mode, fresh processes per run.
import { runForResult } from './lib/children.js';
import { probe } from './lib/probe.js';
import { startGateway, startSimulator, type SimulatorService, type SocketMode } from './lib/services.js';
import type { BenchSettings } from './lib/settings.js';
import { median } from './lib/stats.js';
import { waitForCommits } from './b1-overhead.js';
import { inspectProblems, problemTable, type InspectedProblem } from './b3-problems.js';
import type { FlowInput, FlowResult } from './processes/flow-load.js';
import type { HoldInput, HoldResult } from './processes/hold-load.js';

export interface B3Run {
  readonly mode: SocketMode;
  readonly k: number;
  readonly baselineRssMiB: number;
  readonly holdingRssMiB: number;
  readonly peakRssMiB: number;
  readonly perWaitingKiB: number;
  readonly openFdsHolding: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  /** Replies that were not a correct APPROVED, errors, missing replies, duplicates, payments not committed. */
  readonly wrong: number;
  /** What `wrong` is made of. */
  readonly problems: { readonly wrongReplies: number; readonly errors: number; readonly missing: number; readonly duplicates: number; readonly uncommitted: number };
  readonly firstProblem: string | undefined;
  /** Every Sale that did not end in a correct APPROVED, with the simulator's view and a verdict (b3-problems.ts). */
  readonly problemReplies: readonly InspectedProblem[];
  readonly approveToLastReplyMs: number;
}

export interface B3Row {
  readonly mode: SocketMode;
  readonly k: number;
  readonly runs: number;
  readonly peakRssMiB: number;
  readonly perWaitingKiB: number;
  readonly eventLoopP99Ms: number;
  /** The 10 ms sampler records one sample per stall, so long stalls hide from p99: report the worst one too. */
  readonly eventLoopMaxMs: number;
  readonly openFdsHolding: number;
  readonly wrong: number;
  readonly approveToLastReplyMs: number;
}

const MiB = 2 ** 20;
const WARMUP = 200;
// How long K payments may take to reach the waiting state (SensePass's own timeOut in the Sale mapping is 100 s).
const REACH_WAITING_MS = 90_000;

/** The approval burst: every pending payment approved through the control API, 64 calls in flight. */
async function approveAll(sim: SimulatorService): Promise<number> {
  const pending = (await sim.control.transactions()).filter((t) => t.status < 5 || t.status === 10).map((t) => t.TransactionNumber);
  let next = 0;
  let refused = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const n = pending[next++] ?? '';
      try {
        await sim.control.approve(n);
      } catch {
        refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return refused;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function oneRun(settings: BenchSettings, mode: SocketMode, k: number, run: number): Promise<B3Run> {
  const sim = await startSimulator();
  try {
    const gateway = await startGateway(sim, mode, settings.b3.journal);
    try {
      // Warm-up: every code path of a Sale runs before the baseline is taken.
      await sim.control.setRules([{ then: 'approve', afterMs: 0 }]);
      const warm: FlowInput = { target: 'gateway', url: gateway.url, concurrency: 20, total: WARMUP, warmup: 0, runId: `b3-warm-${run}` };
      const warmResult = await runForResult<FlowResult>('bench/processes/flow-load.ts', warm, 'b3 warm-up');
      if (warmResult.wrong + warmResult.errors > 0) throw new Error(`B3 warm-up failed: ${warmResult.firstError ?? 'wrong outcomes'}`);
      await waitForCommits(sim, WARMUP);
      await sim.control.setRules([{ then: 'none' }]);
      await new Promise((r) => setTimeout(r, 500));
      await probe(gateway.probeUrl, 'gc');
      const baseline = await probe(gateway.probeUrl, 'reset');

      const hold: HoldInput = { url: gateway.url, k, runId: `b3-${mode}-${k}-${run}`, perTick: 50, timeoutMs: settings.b3.timeoutMs };
      const tSales = performance.now();
      const replies = runForResult<HoldResult>('bench/processes/hold-load.ts', hold, `b3 ${mode} ${k}`);
      // Waiting = SensePass has every payment and (transaction mode) the gateway holds one socket per payment.
      const all = await until(async () => {
        const s = await sim.control.stats();
        return s.initCalls >= WARMUP + k && (mode === 'device' || s.sockets >= k);
      }, REACH_WAITING_MS);
      await new Promise((r) => setTimeout(r, 1_000));
      const heldFor = performance.now() - tSales;
      if (settings.b3.holdMs > heldFor) await new Promise((r) => setTimeout(r, settings.b3.holdMs - heldFor));
      const holding = await probe(gateway.probeUrl);
      const tApprove = performance.now();
      const refused = await approveAll(sim);
      const result = await replies;
      const approveToLastReplyMs = performance.now() - tApprove;
      const after = await probe(gateway.probeUrl);
      const uncommitted = await waitForCommits(sim, WARMUP + result.approved);
      // Before either process stops: what SensePass has for each problem, and what a retry of the UNKNOWN ones answers.
      const problemReplies = await inspectProblems(sim, gateway.url, result.problemReplies);
      if (problemReplies.length > 0) process.stderr.write(`  b3 ${mode} K=${k} run ${run + 1}: ${problemReplies.length} Sales not a correct APPROVED\n${problemTable(problemReplies)}\n`);
      const wrong = result.wrong + result.errors + result.missing + result.duplicateTransactions + uncommitted;
      const firstProblem = result.firstProblem
        ?? (uncommitted > 0 ? `${uncommitted} approved payments not committed` : undefined)
        ?? (all ? undefined : 'not every payment reached the waiting state before the approval burst')
        ?? (refused > 0 ? `${refused} approvals refused by the simulator (payment no longer pending)` : undefined);
      return {
        mode,
        k,
        baselineRssMiB: baseline.rssBytes / MiB,
        holdingRssMiB: holding.rssBytes / MiB,
        peakRssMiB: after.peakRssBytes / MiB,
        perWaitingKiB: (holding.rssBytes - baseline.rssBytes) / 1024 / k,
        openFdsHolding: holding.openFds,
        eventLoopP99Ms: after.eventLoopDelay.p99Ms,
        eventLoopMaxMs: after.eventLoopDelay.maxMs,
        wrong,
        problems: { wrongReplies: result.wrong, errors: result.errors, missing: result.missing, duplicates: result.duplicateTransactions, uncommitted },
        firstProblem,
        problemReplies,
        approveToLastReplyMs,
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await sim.stop();
  }
}

export async function runB3(settings: BenchSettings): Promise<{ rows: B3Row[]; runs: B3Run[] }> {
  const runs: B3Run[] = [];
  const rows: B3Row[] = [];
  for (const mode of settings.b3.modes) {
    for (const k of settings.b3.ks) {
      const mine: B3Run[] = [];
      for (let r = 0; r < settings.b3.runsFor(k); r++) {
        const one = await oneRun(settings, mode, k, r);
        mine.push(one);
        process.stderr.write(`  b3 ${mode.padEnd(11)} K=${String(k).padEnd(6)} run ${r + 1}: peak ${one.peakRssMiB.toFixed(0)} MiB, ${one.perWaitingKiB.toFixed(1)} KiB/payment, ELD p99 ${one.eventLoopP99Ms.toFixed(1)} ms, wrong ${one.wrong} ${JSON.stringify(one.problems)}${one.firstProblem === undefined ? '' : ` (${one.firstProblem.slice(0, 200)})`}\n`);
      }
      runs.push(...mine);
      rows.push({
        mode,
        k,
        runs: mine.length,
        peakRssMiB: median(mine.map((x) => x.peakRssMiB)),
        perWaitingKiB: median(mine.map((x) => x.perWaitingKiB)),
        eventLoopP99Ms: median(mine.map((x) => x.eventLoopP99Ms)),
        eventLoopMaxMs: median(mine.map((x) => x.eventLoopMaxMs)),
        openFdsHolding: median(mine.map((x) => x.openFdsHolding)),
        wrong: mine.reduce((s, x) => s + x.wrong, 0),
        approveToLastReplyMs: median(mine.map((x) => x.approveToLastReplyMs)),
      });
    }
  }
  return { rows, runs };
}
