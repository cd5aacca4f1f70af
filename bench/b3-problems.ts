// B3's problem report: every Sale that did not end in a correct APPROVED, set against the simulator's final view
// of that payment (and, for UNKNOWN or unanswered ones, what a retry of the same Sale answers), so each can be
// classified as consistent, unknown-then-resolved, or INCONSISTENT (the reply contradicts SensePass's state).
import { outcomeOf } from '../src/exchange/call/transaction.js';
import { SimulatorControlError } from '../src/simulator/control-client.js';
import { ACME_PATH, readSaleReply, saleXml, soapHeaders } from './lib/soap-messages.js';
import type { SimulatorService } from './lib/services.js';
import type { ProblemReply } from './processes/hold-load.js';

/** SensePass's (the simulator's) view of one payment after the run. */
export interface SimView {
  readonly transactionNumber: string;
  readonly status: number;
  readonly committed: boolean;
  readonly reversed: boolean;
  readonly cancelCalls: number;
}

export type Verdict = 'consistent' | 'unknown-resolved' | 'unknown-unresolved' | 'INCONSISTENT';

export interface InspectedProblem extends ProblemReply {
  /** null: the simulator has no payment for this receipt (kept as null so the results JSON shows it). */
  readonly sim: SimView | null;
  /** What a retry of the same Sale answered (UNKNOWN replies and unanswered requests whose payment exists). */
  readonly retry?: { readonly httpStatus: number; readonly result?: string; readonly transactionId?: string; readonly error?: string };
  /** The simulator's view after the retry (the retry may commit a delivered approval). */
  readonly simAfterRetry?: SimView;
  readonly verdict: Verdict;
  readonly why: string;
}

const NOT_CHARGED = new Set(['DECLINED', 'CANCELLED', 'TIMED_OUT', 'FAILED']);
const RETRY_TIMEOUT_MS = 30_000;

async function simView(sim: SimulatorService, n: string): Promise<SimView | undefined> {
  try {
    const info = await sim.control.transaction(n);
    return { transactionNumber: n, status: info.entity.status, committed: info.committed, reversed: info.reversed, cancelCalls: info.cancelCalls };
  } catch (err) {
    if (err instanceof SimulatorControlError && err.status === 404) return undefined;
    throw err;
  }
}

/** receipt → transaction number, from every payment's init body (posData.receipt); 32 reads in flight. */
async function receiptIndex(sim: SimulatorService): Promise<Map<string, string[]>> {
  const all = (await sim.control.transactions()).map((t) => t.TransactionNumber);
  const index = new Map<string, string[]>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const n = all[next++] ?? '';
      const info = await sim.control.transaction(n);
      const posData = info.initBody.posData as { receipt?: unknown } | undefined;
      const receipt = typeof posData?.receipt === 'string' ? posData.receipt : undefined;
      if (receipt !== undefined) index.set(receipt, [...(index.get(receipt) ?? []), n]);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return index;
}

async function retrySale(gatewayUrl: string, p: ProblemReply): Promise<NonNullable<InspectedProblem['retry']>> {
  try {
    const res = await fetch(new URL(ACME_PATH, gatewayUrl), {
      method: 'POST', headers: soapHeaders('Sale'), body: saleXml(p.terminal, p.receipt, p.amountCents), signal: AbortSignal.timeout(RETRY_TIMEOUT_MS),
    });
    const r = readSaleReply(await res.text());
    return { httpStatus: res.status, ...(r.result === undefined ? {} : { result: r.result }), ...(r.transactionId === undefined ? {} : { transactionId: r.transactionId }) };
  } catch (err) {
    return { httpStatus: 0, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Is `result` (what the POS was told) true of the payment as the simulator finally has it? */
function agrees(result: string | undefined, view: SimView | undefined): { ok: boolean; why: string } {
  const final = view === undefined ? undefined : outcomeOf(view.status);
  if (result === 'APPROVED') {
    const ok = view !== undefined && final === 'APPROVED' && view.committed && !view.reversed;
    return { ok, why: ok ? 'approved and committed' : `APPROVED but simulator ${describe(view)}` };
  }
  if (result !== undefined && NOT_CHARGED.has(result)) {
    const ok = view === undefined || (final !== undefined && final !== 'APPROVED');
    return { ok, why: ok ? `not charged, simulator ${describe(view)}` : `${result} but simulator ${describe(view)}` };
  }
  return { ok: false, why: `answer ${result ?? 'none'}, simulator ${describe(view)}` };
}

function describe(view: SimView | undefined): string {
  if (view === undefined) return 'has no payment';
  return `status ${view.status}${view.committed ? ' committed' : ''}${view.reversed ? ' reversed' : ''}, ${view.cancelCalls} cancel calls`;
}

/** Looks up every problem in the simulator, retries the UNKNOWN/unanswered ones, and classifies each. */
export async function inspectProblems(sim: SimulatorService, gatewayUrl: string, problems: readonly ProblemReply[]): Promise<InspectedProblem[]> {
  const needIndex = problems.some((p) => p.transactionId === undefined || p.transactionId === '');
  const index = needIndex ? await receiptIndex(sim) : new Map<string, string[]>();
  const out: InspectedProblem[] = [];
  for (const p of problems) {
    const numbers = p.transactionId !== undefined && p.transactionId !== '' ? [p.transactionId] : index.get(p.receipt) ?? [];
    const sim0 = numbers[0] === undefined ? undefined : await simView(sim, numbers[0]);
    const extra = numbers.length > 1 ? ` (${numbers.length} payments for this receipt!)` : '';
    if (p.result === 'UNKNOWN' || (p.kind !== 'reply' && sim0 !== undefined) || (p.kind === 'reply' && p.result === undefined && sim0 !== undefined)) {
      const retry = await retrySale(gatewayUrl, p);
      const simAfterRetry = sim0 === undefined ? undefined : await simView(sim, sim0.transactionNumber);
      const a = agrees(retry.result, simAfterRetry);
      const verdict: Verdict = a.ok ? 'unknown-resolved' : retry.result === 'UNKNOWN' || retry.result === undefined ? 'unknown-unresolved' : 'INCONSISTENT';
      out.push({ ...p, sim: sim0 ?? null, retry, ...(simAfterRetry === undefined ? {} : { simAfterRetry }), verdict, why: `retry: ${a.why}${extra}` });
      continue;
    }
    if (p.kind !== 'reply' || p.result === undefined) {
      // No answer, or a fault, and no payment exists: the POS was not charged and a retry starts afresh.
      out.push({ ...p, sim: sim0 ?? null, verdict: sim0 === undefined ? 'consistent' : 'INCONSISTENT', why: `${p.kind} ${p.faultCode ?? p.error ?? ''}, simulator ${describe(sim0)}${extra}` });
      continue;
    }
    const a = agrees(p.result, sim0);
    out.push({ ...p, sim: sim0 ?? null, verdict: a.ok && extra === '' ? 'consistent' : 'INCONSISTENT', why: a.why + extra });
  }
  return out;
}

/** Counts by (reply kind × simulator final status) and verdict, for the console. */
export function problemTable(inspected: readonly InspectedProblem[]): string {
  const counts = new Map<string, number>();
  for (const p of inspected) {
    const reply = p.kind === 'reply' ? `HTTP ${p.httpStatus ?? '?'} ${p.result ?? p.faultCode ?? '(no Result)'}` : p.kind === 'error' ? `error ${(p.error ?? '').slice(0, 30)}` : 'missing';
    const simCol = p.sim === null ? 'no payment' : `status ${p.sim.status}${p.sim.committed ? ' committed' : ''}${p.sim.reversed ? ' reversed' : ''}`;
    const retryCol = p.retry === undefined ? '-' : `${p.retry.result ?? p.retry.error ?? `HTTP ${p.retry.httpStatus}`}`;
    const key = `${reply} | ${simCol} | retry ${retryCol} | ${p.verdict}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(6)} | ${k}`);
  return ['    count  | reply | simulator final | retry | verdict', ...lines].join('\n');
}
