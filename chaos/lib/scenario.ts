// What the simulated world does during a chaos run: outcome rules by amount band (approve / decline / fail / expire,
// with delays), and three phases of simulator faults, switched as the run progresses.
import type { Faults } from '../../src/simulator/faults.js';
import type { Rule } from '../../src/simulator/rules.js';

export interface Band {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly weight: number;
  readonly rule: Rule;
}

/** Amount bands in cents; a POS picks a band by weight, then an amount inside it. */
export const BANDS: readonly Band[] = [
  { name: 'approve 0.4 s', from: 1000, to: 1999, weight: 20, rule: { then: 'approve', afterMs: 400 } },
  // Approved at 3 s while a POS may hang up at ~2.8 s and resend at once (the delivery race).
  { name: 'approve 3 s', from: 2000, to: 2999, weight: 25, rule: { then: 'approve', afterMs: 3_000 } },
  { name: 'approve 7 s', from: 3000, to: 3999, weight: 15, rule: { then: 'approve', afterMs: 7_000 } },
  { name: 'approve 12 s', from: 4000, to: 4199, weight: 5, rule: { then: 'approve', afterMs: 12_000 } },
  { name: 'decline 1 s', from: 4200, to: 4499, weight: 12, rule: { then: 'decline', afterMs: 1_000 } },
  { name: 'fail 2 s', from: 4500, to: 4799, weight: 10, rule: { then: 'fail', afterMs: 2_000 } },
  { name: 'expire 4 s', from: 4800, to: 4999, weight: 8, rule: { then: 'expire', afterMs: 4_000 } },
];

export function rules(): Rule[] {
  return BANDS.map((b) => ({ when: { amountGte: b.from, amountLte: b.to }, then: b.rule.then, afterMs: b.rule.afterMs ?? 0 }));
}

/**
 * The fault switches of phase 0, 1, 2 (phases change at each third of the Sales). Socket drops stay rare: a lost
 * final event is only caught by the deadline re-read (SensePass asks not to poll), so each costs its POS ~110 s.
 */
export function faultPhase(phase: number, requestTimeoutMs: number): { name: string; faults: Faults } {
  const slowCancel = { '*': 10, 'POST /transactions/cancel/:n': 1_500 };
  switch (phase % 3) {
    case 0:
      return {
        name: '5xx before processing, init answers dropped, socket events dropped, slow cancels',
        faults: {
          latencyMs: slowCancel,
          errorRate: 0.04,
          errorRoutes: ['POST /transactions/init', 'GET /transactions/:n', 'GET /transactions/commitPayment/:n'],
          errorMode: 'before',
          socket: { drop: 0.05 },
          answers: { 'POST /transactions/init': { then: 'drop', rate: 0.03 } },
        },
      };
    case 1:
      return {
        name: '5xx after processing, init answered after the gateway timed out, socket events dropped and late',
        faults: {
          latencyMs: slowCancel,
          errorRate: 0.04,
          errorRoutes: ['POST /transactions/init', 'POST /transactions/cancel/:n', 'GET /transactions/commitPayment/:n'],
          errorMode: 'after',
          socket: { drop: 0.05, delayMs: 200 },
          answers: { 'POST /transactions/init': { then: 'delay', delayMs: requestTimeoutMs + 2_000, rate: 0.04 } },
        },
      };
    default:
      return {
        name: '503 before processing, init answers dropped, cancels answered late, commits dropped',
        faults: {
          latencyMs: { '*': 30 },
          errorRate: 0.05,
          errorStatus: 503,
          errorRoutes: ['POST /transactions/init', 'GET /transactions/:n'],
          errorMode: 'before',
          socket: { drop: 0.03 },
          answers: {
            'POST /transactions/init': { then: 'drop', rate: 0.03 },
            'POST /transactions/cancel/:n': { then: 'delay', delayMs: requestTimeoutMs + 1_000, rate: 0.3 },
            'GET /transactions/commitPayment/:n': { then: 'drop', rate: 0.1 },
          },
        },
      };
  }
}
