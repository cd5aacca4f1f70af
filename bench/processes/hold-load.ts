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
  readonly rampMs: number;
  readonly totalMs: number;
}

const input = childInput<HoldInput>();
const agent = keepAliveAgent(input.k);
const soapUrl = new URL(ACME_PATH, input.url);
const TX_NUMBER = /^[0-9a-f]{56}$/;

async function main(): Promise<HoldResult> {
  const seen = new Set<string>();
  let approved = 0;
  let wrong = 0;
  let errors = 0;
  let duplicates = 0;
  let firstProblem: string | undefined;
  const note = (problem: string): void => {
    firstProblem ??= problem;
  };
  const one = async (i: number): Promise<void> => {
    const amountCents = 100 + (i % 9_900);
    const body = saleXml('T-B3', `${input.runId}-${i}`, amountCents);
    try {
      const res = await post(agent, soapUrl, soapHeaders('Sale'), body);
      const r = readSaleReply(res.body);
      const ok = res.status === 200 && r.result === 'APPROVED' && r.amount === centsToDecimal(amountCents)
        && r.authCode !== undefined && r.authCode !== '' && r.transactionId !== undefined && TX_NUMBER.test(r.transactionId);
      if (!ok) {
        wrong++;
        note(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        return;
      }
      if (seen.has(r.transactionId ?? '')) duplicates++;
      seen.add(r.transactionId ?? '');
      approved++;
    } catch (err) {
      errors++;
      note(err instanceof Error ? err.message : String(err));
    }
  };
  const t0 = performance.now();
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
  agent.destroy();
  return { sent: input.k, approved, wrong, errors, missing, duplicateTransactions: duplicates, firstProblem, rampMs, totalMs };
}

finish(main());
