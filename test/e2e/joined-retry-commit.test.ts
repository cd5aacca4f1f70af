// Issue 12, failure 1: the POS hangs up while the payment is being resolved and resends the same Sale at once. The
// resend joins the running exchange; whichever delivery reaches a POS commits the approval — and an approval whose
// every delivery failed is never committed (SensePass reverses it). Timings from the chaos run: approve at 3 s, a slow
// cancel, hang-up at 2.8 s, resend at 3.0 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { sleep, txFor, waitFor } from './helpers/e2e.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ sim: { commitWindowSeconds: 2 } });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 3_000 }]);
  // The abort ladder's cancel is answered slowly: it reaches SensePass after the approval (too late).
  await gw.sim.control.setFaults({ latencyMs: { 'POST /transactions/cancel/:n': 1_500 } });
});
afterAll(async () => {
  await gw?.close();
});

describe('hang up at 2.8 s, resend at 3.0 s', () => {
  it('the joined resend is told APPROVED and its delivery commits the payment (not reversed)', async () => {
    const started = Date.now();
    const first = new AbortController();
    const abandoned = postSoap(gw.soapUrl, 'Sale', sale('R-JOIN-1'), { signal: first.signal }).catch((err: unknown) => err);
    const n = await txFor(gw.sim, 'R-JOIN-1');
    await sleep(2_800 - (Date.now() - started));
    first.abort();
    await sleep(3_000 - (Date.now() - started));
    const resend = await postSoap(gw.soapUrl, 'Sale', sale('R-JOIN-1'));
    expect(await abandoned).toBeInstanceOf(Error);

    expect(resend.fields.Result).toBe('APPROVED');
    expect(resend.fields.TransactionId).toBe(n);
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed, 3_000);
    expect(tx.committed).toBe(true);
    expect(tx.cancelCalls).toBeGreaterThan(0); // it really was the abort ladder that was running when the resend joined
    await sleep(2_300); // past the commit window: a committed payment stays approved
    const after = await gw.sim.control.transaction(n);
    expect(after.reversed).toBe(false);
    expect(after.entity.status).toBe(5);
    expect(await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-JOIN-1')).toMatchObject({ state: 'COMMITTED', outcome: 'APPROVED' });
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });

  it('when the resend hangs up too, no delivery reached a POS: never committed, reversed by SensePass', async () => {
    const before = await gw.sim.control.stats();
    const started = Date.now();
    const first = new AbortController();
    const second = new AbortController();
    const a = postSoap(gw.soapUrl, 'Sale', sale('R-JOIN-2'), { signal: first.signal }).catch((err: unknown) => err);
    const n = await txFor(gw.sim, 'R-JOIN-2');
    await sleep(2_800 - (Date.now() - started));
    first.abort();
    await sleep(3_000 - (Date.now() - started));
    const b = postSoap(gw.soapUrl, 'Sale', sale('R-JOIN-2'), { signal: second.signal }).catch((err: unknown) => err);
    await sleep(200);
    second.abort();
    expect(await a).toBeInstanceOf(Error);
    expect(await b).toBeInstanceOf(Error);

    const entry = await waitFor(
      () => gw.gateway.context.journal.findByKey('anonymous', 'T7/R-JOIN-2'),
      (e) => e?.state === 'SETTLED',
      8_000,
    );
    expect(entry).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED' });
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.reversed, 6_000);
    expect(tx.reversed).toBe(true);
    expect(tx.committed).toBe(false);
    expect((await gw.sim.control.stats()).commitCalls).toBe(before.commitCalls);
  });
});
