// "SensePass created it after our timeout": the init is processed but its answer is lost (connection destroyed) or
// arrives after the gateway's requestTimeoutMs. The gateway must find the payment by posData.gatewayKey and give the
// POS a definitive answer, and however often the POS resends, SensePass holds exactly one payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerFault } from '../../src/simulator/answer-faults.js';
import { postSoap, sale, startTestGateway, type SoapAnswer, type TestGateway } from '../support/gateway.js';
import { sleep, waitFor } from './helpers/e2e.js';

const REQUEST_TIMEOUT_MS = 1_000;
const DEFINITIVE = new Set(['APPROVED', 'DECLINED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);

/** A POS that resends the same Sale until it hears a definitive outcome (or gives up after `ms`). */
async function saleUntilDefinitive(gw: TestGateway, receipt: string, ms = 30_000): Promise<{ last: SoapAnswer; sends: number }> {
  const until = Date.now() + ms;
  for (let sends = 1; ; sends++) {
    const last = await postSoap(gw.soapUrl, 'Sale', sale(receipt, '31.00'));
    if ((last.status === 200 && DEFINITIVE.has(last.fields.Result ?? '')) || Date.now() > until) return { last, sends };
    await sleep(300);
  }
}

describe.each<[string, AnswerFault]>([
  ['dropped', { then: 'drop' }],
  ['answered after the gateway timed out', { then: 'delay', delayMs: 3 * REQUEST_TIMEOUT_MS }],
])('init answer %s', (_name, fault) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: { sensepass: { requestTimeoutMs: REQUEST_TIMEOUT_MS } } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('the POS is told APPROVED once approved, and there is exactly one payment, committed', { timeout: 60_000 }, async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 2_500 }]);
    // The fault stays on for every init: a second init would be lost the same way and show up as a second payment.
    await gw.sim.control.setAnswerFaults({ 'POST /transactions/init': fault });
    const { last } = await saleUntilDefinitive(gw, `lost-${fault.then}`);
    expect({ result: last.fields.Result, fault: last.faultCode }).toEqual({ result: 'APPROVED', fault: undefined });
    const stats = await gw.sim.control.stats();
    expect(stats.initCalls).toBe(1);
    expect(stats.transactions).toBe(1);
    const faults = await gw.sim.control.getFaults();
    expect(faults.answersDropped + faults.answersDelayed).toBe(1); // the fault really hit the one init
    const [only] = await gw.sim.control.transactions();
    expect(last.fields.TransactionId).toBe(only?.TransactionNumber);
    const info = await waitFor(() => gw.sim.control.transaction(only!.TransactionNumber), (t) => t.committed, 10_000);
    expect(info.committed).toBe(true);
    // Asked again later: the same answer, still one payment.
    const again = await postSoap(gw.soapUrl, 'Sale', sale(`lost-${fault.then}`, '31.00'));
    expect(again.fields.Result).toBe('APPROVED');
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });
});
