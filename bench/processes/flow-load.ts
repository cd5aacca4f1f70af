// B1's load generator (own process): N payments in a closed loop at a fixed concurrency, either as SOAP Sales
// through the gateway or as the direct JSON flow against the simulator; latency per payment with hrtime.
import { centsToDecimal, readSaleReply, saleXml, soapHeaders, ACME_PATH } from '../lib/soap-messages.js';
import { summariseLatencies, type LatencySummary } from '../lib/stats.js';
import { childInput, finish } from './child-io.js';
import { directSale } from './direct-sale.js';
import { keepAliveAgent, post } from './http-post.js';

export interface FlowInput {
  readonly target: 'gateway' | 'direct';
  /** Gateway origin, or the simulator origin for the direct flow. */
  readonly url: string;
  readonly concurrency: number;
  readonly total: number;
  readonly warmup: number;
  /** Makes receipt numbers unique across runs against the same gateway. */
  readonly runId: string;
}

export interface FlowResult {
  readonly completed: number;
  readonly wrong: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly durationMs: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
}

const input = childInput<FlowInput>();
const agent = keepAliveAgent(input.concurrency);
const soapUrl = new URL(ACME_PATH, input.url);

/** One payment; resolves to whether its outcome was the expected APPROVED for this amount. */
async function onePayment(i: number, commits: Promise<void>[]): Promise<boolean> {
  const receipt = `${input.runId}-${i}`;
  const amountCents = 100 + (i % 900);
  if (input.target === 'gateway') {
    const body = saleXml('T-B1', receipt, amountCents);
    const res = await post(agent, soapUrl, soapHeaders('Sale'), body);
    const reply = readSaleReply(res.body);
    return res.status === 200 && reply.result === 'APPROVED' && reply.amount === centsToDecimal(amountCents);
  }
  const { entity, commit } = await directSale(`${input.url}/api`, input.url, 'T-B1', receipt, amountCents);
  commits.push(commit);
  return entity.status === 5;
}

interface PhaseResult {
  readonly wrong: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Direct flow: commits still running when the last outcome arrived (the gateway commits after replying too). */
  readonly commits: readonly Promise<void>[];
}

async function phase(count: number, offset: number, latencies: number[] | undefined): Promise<PhaseResult> {
  let next = 0;
  let wrong = 0;
  let errors = 0;
  let firstError: string | undefined;
  const commits: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = offset + next++;
      const t0 = process.hrtime.bigint();
      try {
        if (!(await onePayment(i, commits))) wrong++;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      latencies?.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, count) }, worker));
  return { wrong, errors, firstError, commits };
}

async function commitFailures(commits: readonly Promise<void>[]): Promise<number> {
  return (await Promise.allSettled(commits)).filter((r) => r.status === 'rejected').length;
}

async function main(): Promise<FlowResult> {
  const warm = await phase(input.warmup, 0, undefined);
  await commitFailures(warm.commits);
  const latencies: number[] = [];
  const t0 = performance.now();
  const { wrong, errors, firstError, commits } = await phase(input.total, input.warmup, latencies);
  const durationMs = performance.now() - t0;
  const failedCommits = await commitFailures(commits);
  agent.destroy();
  return {
    completed: latencies.length,
    wrong,
    errors: errors + failedCommits,
    firstError,
    durationMs,
    perSecond: (latencies.length / durationMs) * 1000,
    latency: summariseLatencies(latencies),
  };
}

finish(main());
