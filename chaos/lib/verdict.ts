// Compares what every POS was last told with SensePass's truth and counts each kind of violation. Every count
// must be 0: a double charge or an unknown charge costs a customer, an uncommitted approval costs the merchant.
import type { SaleRecord } from './pos.js';
import { charged, saleKey, type Truth } from './truth.js';

/** The Acme till's own timeout: an answer later than this reaches nobody. */
export const LATE_MS = 120_000;

export interface KillWindow {
  readonly killedAt: number;
  readonly readyAt: number;
}

export interface Violation {
  readonly kind: keyof Counts;
  readonly sale: string;
  readonly detail: string;
}

export interface Counts {
  doubleCharges: number;
  unknownCharges: number;
  approvedUncommitted: number;
  lostAnswers: number;
  inconsistentAnswers: number;
  noDefinitiveAnswer: number;
  lateReplies: number;
}

const STATUS_OF: Readonly<Record<string, readonly number[]>> = {
  APPROVED: [5],
  DECLINED: [6],
  FAILED: [7],
  TIMED_OUT: [8],
  CANCELLED: [9],
};

export function judge(records: readonly SaleRecord[], truth: Truth, kills: readonly KillWindow[]): { counts: Counts; violations: Violation[] } {
  const violations: Violation[] = [];
  const add = (kind: keyof Counts, r: SaleRecord, detail: string): void =>
    void violations.push({ kind, sale: `${saleKey(r.terminal, r.receipt)} (${r.behaviour}, ${r.band})`, detail });
  for (const r of records) {
    const payments = truth.get(saleKey(r.terminal, r.receipt)) ?? [];
    const last = r.told.at(-1);
    const kept = payments.filter(charged);
    if (kept.length > 1) add('doubleCharges', r, `${kept.length} charged payments: ${kept.map((p) => p.transactionNumber.slice(0, 10)).join(', ')}`);
    for (const p of payments.filter((x) => x.committed)) {
      if (last?.result !== 'APPROVED' || last.transactionId !== p.transactionNumber) add('unknownCharges', r, `committed ${p.transactionNumber.slice(0, 10)}, POS last told ${last?.result ?? 'nothing'}`);
    }
    if (last?.result === 'APPROVED') {
      const p = payments.find((x) => x.transactionNumber === last.transactionId);
      if (p === undefined || !p.committed) add('approvedUncommitted', r, `told APPROVED ${last.transactionId?.slice(0, 10) ?? '?'}, ${p === undefined ? 'no such payment' : `status ${p.status}, not committed`}`);
    }
    // A connection that overlaps a kill window (from the SIGKILL until the restarted gateway is ready) is explained:
    // the dying process may still accept a connection before it is gone.
    const lost = r.attempts.filter((a) => a.end.kind === 'lost' && !kills.some((k) => a.startedAt <= k.readyAt && k.killedAt <= a.endedAt));
    if (lost.length > 0) {
      const at = (t: number): string => new Date(t).toISOString().slice(11, 23);
      const first = lost[0] as (typeof lost)[number];
      const error = first.end.kind === 'lost' ? first.end.error : '';
      add('lostAnswers', r, `${lost.length} connection(s) closed with no answer while the gateway was running (first: ${error}, ${at(first.startedAt)}–${at(first.endedAt)} UTC)`);
    }
    const outcomes = new Set(r.told.map((t) => `${t.result}/${t.transactionId ?? ''}`));
    if (outcomes.size > 1) add('inconsistentAnswers', r, `told ${[...outcomes].join(' then ')}`);
    else if (last !== undefined) {
      const p = payments.find((x) => x.transactionNumber === last.transactionId);
      const fits = last.result === 'APPROVED' ? p !== undefined && charged(p) : p === undefined ? kept.length === 0 : (STATUS_OF[last.result] ?? []).includes(p.status);
      if (!fits) add('inconsistentAnswers', r, `told ${last.result}, SensePass has ${payments.map((x) => x.status).join(',') || 'no payment'}`);
    }
    if (r.told.length === 0 && !r.cut) add('noDefinitiveAnswer', r, `gave up after ${r.attempts.length} attempts: ${summarize(r)}`);
    const late = r.attempts.filter((a) => a.end.kind !== 'aborted' && a.endedAt - a.startedAt > LATE_MS);
    if (late.length > 0) add('lateReplies', r, `${late.length} answer(s) after more than ${LATE_MS / 1000} s`);
  }
  const counts: Counts = { doubleCharges: 0, unknownCharges: 0, approvedUncommitted: 0, lostAnswers: 0, inconsistentAnswers: 0, noDefinitiveAnswer: 0, lateReplies: 0 };
  for (const v of violations) counts[v.kind]++;
  return { counts, violations };
}

/** How a Sale's attempts ended, e.g. "fault GW_UPSTREAM_UNAVAILABLE ×12, refused ×2". */
export function summarize(r: SaleRecord): string {
  const tally = new Map<string, number>();
  for (const a of r.attempts) {
    const e = a.end;
    const label = e.kind === 'answer' ? `answer ${e.result ?? '?'}` : e.kind === 'fault' ? `fault ${e.code}` : e.kind;
    tally.set(label, (tally.get(label) ?? 0) + 1);
  }
  return [...tally].map(([k, n]) => `${k} ×${n}`).join(', ');
}
