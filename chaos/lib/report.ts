// The chaos run's result: the violations table (each must be 0), the totals it was measured on, and the first
// violations in detail so a failure can be reproduced (same --seed) and read in the gateway log.
import { renderMarkdown, renderText, type Table } from '../../bench/lib/table.js';
import type { SimulatorStats } from '../../src/simulator/control-client.js';
import type { ChaosOptions } from './options.js';
import type { SaleRecord } from './pos.js';
import { charged, type Truth } from './truth.js';
import type { Counts, KillWindow, Violation } from './verdict.js';

export interface ReportInput {
  readonly options: ChaosOptions;
  readonly records: readonly SaleRecord[];
  readonly truth: Truth;
  readonly verdict: { counts: Counts; violations: Violation[] };
  readonly stats: SimulatorStats;
  readonly kills: readonly KillWindow[];
  readonly faultsHit: { answersDropped: number; answersDelayed: number };
  readonly notSent: number;
  readonly cut: number;
  readonly salesMs: number;
  readonly settleMs: number;
  readonly totalMs: number;
  readonly logFile: string;
}

const LABELS: Readonly<Record<keyof Counts, string>> = {
  doubleCharges: 'double charges (a Sale charged twice)',
  unknownCharges: 'unknown charges (committed, POS not told APPROVED)',
  approvedUncommitted: 'approved but uncommitted (POS told APPROVED)',
  lostAnswers: 'lost answers (connection closed, gateway running)',
  inconsistentAnswers: 'inconsistent answers (two outcomes, or not SensePass\'s)',
  noDefinitiveAnswer: 'no definitive answer (POS gave up)',
  lateReplies: 'replies later than 120 s',
};

export function printReport(i: ReportInput): void {
  const attempts = i.records.reduce((s, r) => s + r.attempts.length, 0);
  const told = (result: string) => i.records.filter((r) => r.told.at(-1)?.result === result).length;
  const payments = [...i.truth.values()].reduce((s, l) => s + l.length, 0);
  const chargedCount = [...i.truth.values()].reduce((s, l) => s + l.filter(charged).length, 0);
  const violations: Table = {
    title: `Chaos run: ${i.options.sales} Sales, ${i.options.poses} POSes, ${i.kills.length} kill -9, seed "${i.options.seed}", socketMode ${i.options.socketMode}`,
    header: ['violation', 'count'],
    rows: (Object.keys(LABELS) as (keyof Counts)[]).map((k) => [LABELS[k], String(i.verdict.counts[k])]),
  };
  const totals: Table = {
    title: 'Totals',
    header: ['measure', 'value'],
    rows: [
      ['Sales / POS requests', `${i.records.length} / ${attempts}`],
      ['Sales not sent / cut while waiting (--max-minutes reached first)', `${i.notSent} / ${i.cut}`],
      ['POS last told APPROVED / DECLINED / FAILED / TIMED_OUT / CANCELLED', ['APPROVED', 'DECLINED', 'FAILED', 'TIMED_OUT', 'CANCELLED'].map(told).join(' / ')],
      ['SensePass payments / charged / committed', `${payments} / ${chargedCount} / ${i.stats.commits}`],
      ['SensePass init calls / cancel calls', `${i.stats.initCalls} / ${i.stats.cancelCalls}`],
      ['answers dropped / delayed after processing', `${i.faultsHit.answersDropped} / ${i.faultsHit.answersDelayed}`],
      ['socket events sent / dropped', `${i.stats.socketEvents} / ${i.stats.socketEventsDropped}`],
      ['gateway kills (ready again after)', i.kills.map((k) => `${((k.readyAt - k.killedAt) / 1000).toFixed(1)} s`).join(', ') || '0'],
      ['duration: Sales / settle / total', `${s(i.salesMs)} / ${s(i.settleMs)} / ${s(i.totalMs)}`],
    ],
  };
  console.log(renderText(violations));
  console.log(renderText(totals));
  if (i.verdict.violations.length > 0) {
    console.log(`\nFirst violations (gateway log: ${i.logFile}):`);
    for (const v of i.verdict.violations.slice(0, 25)) console.log(`  ${v.kind}  ${v.sale}  ${v.detail}`);
  }
  console.log(`\nMarkdown (for docs/lifecycle.md):\n\n${renderMarkdown(violations)}\n\n${renderMarkdown(totals)}`);
}

const s = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;
