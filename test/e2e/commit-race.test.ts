// Issue 12: "commit of a delivered approval failed" (GW_JOURNAL_ILLEGAL_TRANSITION) 3 ms after "payment committed" —
// the delivery's commit and the sweeper committed the same exchange at once. The commit is single-flight per exchange
// and idempotent: one commit call upstream, no illegal transition, however the two overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { sleep, waitFor } from './helpers/e2e.js';

let gw: TestGateway;
beforeAll(async () => {
  // A sweeper every 25 ms and a commit that takes 400 ms: every delivery's commit overlaps several sweeps.
  gw = await startTestGateway({ config: { sensepass: { commitRetryMs: 25 } } });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 30 }]);
  await gw.sim.control.setFaults({ latencyMs: { 'GET /transactions/commitPayment/:n': 400 } });
});
afterAll(async () => {
  await gw?.close();
});

describe('delivery commit vs commit sweeper', () => {
  it('an Authorize-like burst of approvals is committed exactly once each, with no illegal transition', async () => {
    const receipts = ['R-RACE-1', 'R-RACE-2', 'R-RACE-3'];
    const answers = await Promise.all(receipts.map((r) => postSoap(gw.soapUrl, 'Sale', sale(r))));
    expect(answers.map((a) => a.fields.Result)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
    for (const a of answers) {
      const tx = await waitFor(() => gw.sim.control.transaction(a.fields.TransactionId as string), (t) => t.committed, 5_000);
      expect(tx.committed).toBe(true);
    }
    await sleep(600); // let any second (racing) commit finish and report
    expect((await gw.sim.control.stats()).commitCalls).toBe(receipts.length);
    for (const r of receipts) expect((await gw.gateway.context.journal.findByKey('anonymous', `T7/${r}`))?.state).toBe('COMMITTED');
    expect(gw.logText()).not.toContain('GW_JOURNAL_ILLEGAL_TRANSITION');
    expect(gw.logText()).not.toContain('commit of a delivered approval failed');
  });

  it('the commit stage is idempotent: committing an already committed exchange again is a no-op', async () => {
    const r = await postSoap(gw.soapUrl, 'Sale', sale('R-RACE-4'));
    const entry = await waitFor(() => gw.gateway.context.journal.findByKey('anonymous', 'T7/R-RACE-4'), (e) => e?.state === 'COMMITTED');
    const calls = (await gw.sim.control.stats()).commitCalls;
    const again = await Promise.all([gw.gateway.context.commits.commit(entry!.id), gw.gateway.context.commits.delivered(entry!.id)]);
    expect(again).toEqual([true, true]);
    expect((await gw.sim.control.stats()).commitCalls).toBe(calls);
    expect(r.fields.Result).toBe('APPROVED');
  });
});
