// The POS fleet: each POS sends its Sales one after another and resends each until it hears a definitive outcome
// (or gives up after a bound), misbehaving on the way as real tills do: timeouts, hang-ups, resends, duplicates.
import type { Random } from '../../src/simulator/random.js';
import { saleXml } from '../../bench/lib/soap-messages.js';
import { BANDS } from './scenario.js';
import { attemptSale, type Attempt } from './soap-attempt.js';

/** Outcomes that end a Sale for a POS: the customer was charged, or definitely not. */
export const DEFINITIVE: ReadonlySet<string> = new Set(['APPROVED', 'DECLINED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);

export type Behaviour = 'patient' | 'timeout' | 'hangup' | 'resend' | 'parallel';
const BEHAVIOURS: readonly [Behaviour, number][] = [['patient', 40], ['timeout', 15], ['hangup', 20], ['resend', 13], ['parallel', 12]];

/** The POS's own timeout (the Acme till waits 120 s; a little more so the gateway's own bound shows). */
const PATIENT_MS = 125_000;
/** A POS gives up on a Sale this long after its first send (then: "no definitive answer"). */
export const GIVE_UP_MS = 150_000;
/** …or sooner, when the gateway has answered the same fault this many times in a row (a stored, repeated refusal). */
const SAME_FAULT_LIMIT = 10;
/** Pause between unanswered rounds: 1 s, growing to 5 s (a till's retry, not a flood). */
const PAUSE_MS = [1_000, 1_000, 2_000, 3_000, 5_000];

export interface SaleRecord {
  readonly pos: number;
  readonly terminal: string;
  readonly receipt: string;
  readonly amountCents: number;
  readonly band: string;
  readonly behaviour: Behaviour;
  readonly attempts: Attempt[];
  /** Every definitive answer the POS heard, in order. */
  readonly told: { result: string; transactionId: string | undefined; at: number }[];
  gaveUp: boolean;
  /** The run's own time bound (--max-minutes) ended the wait before a definitive answer: reported apart, not as the gateway's failure. */
  cut: boolean;
}

export interface Fleet {
  readonly records: SaleRecord[];
  /** Sales never sent because the run's time bound (--max-minutes) came first. */
  notSent(): number;
  /** Sales still waiting when the run's time bound came (their waits were ended by the run, not by the gateway). */
  cut(): number;
  /** Sales finished (definitive or given up). */
  finished(): number;
  done: Promise<void>;
}

export function runFleet(o: { soapUrl: () => string; poses: number; sales: number; random: Random; stopAt: number }): Fleet {
  const records: SaleRecord[] = [];
  let finished = 0;
  let notSent = 0;
  const perPos = Array.from({ length: o.poses }, (_, p) => Math.floor(o.sales / o.poses) + (p < o.sales % o.poses ? 1 : 0));
  const pos = async (p: number): Promise<void> => {
    for (let i = 0; i < (perPos[p] ?? 0); i++) {
      if (Date.now() > o.stopAt) {
        notSent += (perPos[p] ?? 0) - i;
        return;
      }
      const band = pick(o.random, BANDS.map((b) => [b, b.weight] as const));
      const record: SaleRecord = {
        pos: p, terminal: `T${p}`, receipt: `R${i}`, amountCents: band.from + Math.floor(o.random.float() * (band.to - band.from + 1)),
        band: band.name, behaviour: pick(o.random, BEHAVIOURS), attempts: [], told: [], gaveUp: false, cut: false,
      };
      records.push(record);
      await oneSale(record, o);
      finished++;
    }
  };
  const done = Promise.all(Array.from({ length: o.poses }, (_, p) => pos(p))).then(() => undefined);
  return { records, finished: () => finished, notSent: () => notSent, cut: () => records.filter((r) => r.cut).length, done };
}

async function oneSale(r: SaleRecord, o: { soapUrl: () => string; random: Random; stopAt: number }): Promise<void> {
  const xml = saleXml(r.terminal, r.receipt, r.amountCents);
  const firstAt = Date.now();
  const send = async (abortAfterMs: number, delayMs = 0): Promise<void> => {
    if (delayMs > 0) await sleep(delayMs);
    // The run's bound holds even for a patient till: at stopAt every wait ends (and the Sale then gives up).
    const a = await attemptSale(o.soapUrl(), xml, Math.max(1, Math.min(abortAfterMs, o.stopAt - Date.now())));
    r.attempts.push(a);
    if (a.end.kind === 'answer' && DEFINITIVE.has(a.end.result ?? '')) r.told.push({ result: a.end.result as string, transactionId: a.end.transactionId, at: a.endedAt });
  };
  const between = (lo: number, hi: number): number => Math.round(lo + o.random.float() * (hi - lo));
  // The first round is where the behaviour shows; later rounds are a patient resend.
  switch (r.behaviour) {
    case 'patient':
      await send(PATIENT_MS);
      break;
    case 'timeout': // a short till timeout, then a resend after a pause
      await send(between(1_000, 5_000));
      if (r.told.length === 0) await sleep(between(200, 1_500));
      break;
    case 'hangup': // hang up mid-wait and resend at once (the 2.8 s / 3.0 s race is in this range)
      await send(between(500, 4_000));
      if (r.told.length === 0) await send(PATIENT_MS, between(0, 300));
      break;
    case 'resend': // the same Sale again while the first still waits, both patient
      await Promise.all([send(PATIENT_MS), send(PATIENT_MS, between(100, 2_500))]);
      break;
    case 'parallel': // duplicates at the same moment, one of them hanging up
      await Promise.all([send(PATIENT_MS), send(PATIENT_MS), send(between(500, 3_000))]);
      break;
  }
  for (let round = 0; r.told.length === 0; round++) {
    if (Date.now() >= o.stopAt) {
      r.gaveUp = true;
      r.cut = true;
      return;
    }
    if (Date.now() - firstAt > GIVE_UP_MS || sameFaultStreak(r) >= SAME_FAULT_LIMIT) {
      r.gaveUp = true;
      return;
    }
    await send(PATIENT_MS);
    if (r.told.length === 0) await sleep(PAUSE_MS[Math.min(round, PAUSE_MS.length - 1)] ?? 5_000);
  }
}

/** How many of the last attempts ended with one and the same fault code. */
function sameFaultStreak(r: SaleRecord): number {
  const last = r.attempts.at(-1)?.end;
  if (last?.kind !== 'fault') return 0;
  let n = 0;
  for (let i = r.attempts.length - 1; i >= 0; i--) {
    const e = r.attempts[i]?.end;
    if (e?.kind !== 'fault' || e.code !== last.code) break;
    n++;
  }
  return n;
}

function pick<T>(random: Random, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = random.float() * total;
  for (const [v, w] of weighted) {
    x -= w;
    if (x < 0) return v;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
