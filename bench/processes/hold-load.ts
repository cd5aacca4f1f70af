// B3's load generator (own process): K Sales sent at once (ramped so the accept queue keeps up), each held open
// until the gateway answers; checks every reply (APPROVED, right amount, a unique SensePass transaction).
import { centsToDecimal, readSaleReply, saleXml, soapHeaders, ACME_PATH } from '../lib/soap-messages.js';
import { childInput, finish } from './child-io.js';
import { keepAliveAgent, post } from './http-post.js';

export interface HoldInput {
  readonly url: string;
  readonly k: number;
  readonly runId: string;
  /** Requests started per 10 ms tick while ramping up. */
  readonly perTick: number;
  /** Gives up on replies still missing after this long (they count as wrong). */
  readonly timeoutMs: number;
}

export interface HoldResult {
  readonly sent: number;
  readonly approved: number;
  readonly wrong: number;
  readonly errors: number;
  readonly missing: number;
  readonly duplicateTransactions: number;
  readonly firstProblem: string | undefined;
  /** Every reply that was not a correct APPROVED, and every request that got no reply (error). */
  readonly problemReplies: readonly ProblemReply[];
  readonly rampMs: number;
  readonly totalMs: number;
}

/** One request that did not end in a correct APPROVED: what the POS saw. */
export interface ProblemReply {
  readonly index: number;
  readonly terminal: string;
  readonly receipt: string;
  readonly amountCents: number;
  /** reply: an HTTP answer that was not a correct APPROVED; error: no answer (reset…); missing: none before timeoutMs. */
  readonly kind: 'reply' | 'error' | 'missing';
  readonly httpStatus?: number;
  readonly result?: string;
  readonly resultCode?: string;
  readonly message?: string;
  readonly transactionId?: string;
  readonly faultCode?: string;
  readonly faultString?: string;
  /** Transport error (reset, …) when there was no reply. */
  readonly error?: string;
  /** Milliseconds from the start of the ramp until the reply or error. */
  readonly atMs: number;
}

const TERMINAL = 'T-B3';
const input = childInput<HoldInput>();
const agent = keepAliveAgent(input.k);
const soapUrl = new URL(ACME_PATH, input.url);
const TX_NUMBER = /^[0-9a-f]{56}$/;

async function main(): Promise<HoldResult> {
  const t0 = performance.now();
  const seen = new Set<string>();
  let approved = 0;
  let wrong = 0;
  let errors = 0;
  let duplicates = 0;
  let firstProblem: string | undefined;
  const problemReplies: ProblemReply[] = [];
  const note = (problem: string): void => {
    firstProblem ??= problem;
  };
  const answered = new Set<number>();
  const one = async (i: number): Promise<void> => {
    try {
      await oneSale(i);
    } finally {
      answered.add(i);
    }
  };
  const oneSale = async (i: number): Promise<void> => {
    const amountCents = 100 + (i % 9_900);
    const receipt = `${input.runId}-${i}`;
    const body = saleXml(TERMINAL, receipt, amountCents);
    const base = { index: i, terminal: TERMINAL, receipt, amountCents };
    try {
      const res = await post(agent, soapUrl, soapHeaders('Sale'), body);
      const r = readSaleReply(res.body);
      const ok = res.status === 200 && r.result === 'APPROVED' && r.amount === centsToDecimal(amountCents)
        && r.authCode !== undefined && r.authCode !== '' && r.transactionId !== undefined && TX_NUMBER.test(r.transactionId);
      if (!ok) {
        wrong++;
        note(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        problemReplies.push({ ...base, kind: 'reply', httpStatus: res.status, ...replyDetails(res.body), atMs: performance.now() - t0 });
        return;
      }
      if (seen.has(r.transactionId ?? '')) duplicates++;
      seen.add(r.transactionId ?? '');
      approved++;
    } catch (err) {
      errors++;
      note(err instanceof Error ? err.message : String(err));
      problemReplies.push({ ...base, kind: 'error', error: err instanceof Error ? err.message : String(err), atMs: performance.now() - t0 });
    }
  };
  const pending: Promise<void>[] = [];
  for (let i = 0; i < input.k; i += input.perTick) {
    for (let j = i; j < Math.min(input.k, i + input.perTick); j++) pending.push(one(j));
    await new Promise((r) => setTimeout(r, 10));
  }
  const rampMs = performance.now() - t0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    Promise.all(pending).then(() => false),
    new Promise<boolean>((r) => { timer = setTimeout(() => r(true), input.timeoutMs); }),
  ]);
  clearTimeout(timer);
  const totalMs = performance.now() - t0;
  const missing = timedOut ? input.k - approved - wrong - errors : 0;
  if (missing > 0) note(`${missing} replies still missing after ${input.timeoutMs} ms`);
  for (let i = 0; timedOut && i < input.k; i++) {
    if (!answered.has(i)) problemReplies.push({ index: i, terminal: TERMINAL, receipt: `${input.runId}-${i}`, amountCents: 100 + (i % 9_900), kind: 'missing', atMs: totalMs });
  }
  agent.destroy();
  return { sent: input.k, approved, wrong, errors, missing, duplicateTransactions: duplicates, firstProblem, problemReplies, rampMs, totalMs };
}

/** The fields of a Sale reply or SOAP fault the problem report needs (absent fields are left out). */
function replyDetails(xml: string): Partial<ProblemReply> {
  const field = (name: string): string | undefined => new RegExp(`<(?:\\w+:)?${name}>([^<]*)</`).exec(xml)?.[1];
  const all = { result: field('Result'), resultCode: field('ResultCode'), message: field('Message'), transactionId: field('TransactionId'),
    faultCode: field('code') ?? field('faultcode'), faultString: field('faultstring') ?? field('Text') };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

finish(main());
