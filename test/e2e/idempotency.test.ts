// Issue 5 through the real gateway: one key = one payment, however often and however concurrently it is sent; the
// same key with another payload is refused; a retry after an UNKNOWN answer gets the final outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { leftovers, NOTHING_LEFT, shortSaleMappings, sleep, txFor, waitFor } from './helpers/e2e.js';

describe.each(['transaction', 'device'] as const)('idempotency over loopback (socketMode %s)', (socketMode) => {
  let gw: TestGateway;
  let mappings: ReturnType<typeof shortSaleMappings>;
  const receipt = (name: string) => `${socketMode}-${name}`;

  beforeAll(async () => {
    mappings = shortSaleMappings('2s', 60);
    gw = await startTestGateway({ config: { paths: { mappings: mappings.dir }, sensepass: { socketMode, socketIdleMs: 200 } } });
  });
  afterAll(async () => {
    await gw?.close();
    mappings?.cleanup();
  });

  it('the same Sale 20 times at once → one SensePass payment, 20 identical replies', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 400 }]);
    const before = await gw.sim.control.stats();
    const replies = await Promise.all(Array.from({ length: 20 }, () => postSoap(gw.soapUrl, 'Sale', sale(receipt('same'), '15.00'))));
    const after = await gw.sim.control.stats();
    expect(after.initCalls - before.initCalls).toBe(1);
    expect(after.transactions - before.transactions).toBe(1);
    expect(replies[0]?.fields.Result).toBe('APPROVED');
    for (const r of replies) expect(r.text).toBe(replies[0]?.text);
    const n = replies[0]?.fields.TransactionId as string;
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed);
    expect(tx.committed).toBe(true);
    expect((await gw.sim.control.stats()).commitCalls - before.commitCalls).toBe(1);
    // And once more after completion: the stored reply, still no new payment.
    const later = await postSoap(gw.soapUrl, 'Sale', sale(receipt('same'), '15.00'));
    expect(later.text).toBe(replies[0]?.text);
    expect((await gw.sim.control.stats()).initCalls - before.initCalls).toBe(1);
  });

  it('same TerminalId/ReceiptNo with another Amount → GW_IDEMPOTENCY_CONFLICT, no new payment (in flight and after)', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 500 }]);
    const before = await gw.sim.control.stats();
    const first = postSoap(gw.soapUrl, 'Sale', sale(receipt('conflict'), '15.00'));
    await txFor(gw.sim, receipt('conflict'));
    const whileWaiting = await postSoap(gw.soapUrl, 'Sale', sale(receipt('conflict'), '99.00'));
    expect(whileWaiting.faultCode).toBe('GW_IDEMPOTENCY_CONFLICT');
    expect(whileWaiting.status).toBe(500); // SOAP 1.1 faults travel with HTTP 500
    const done = await first;
    expect(done.fields.Result).toBe('APPROVED');
    const afterwards = await postSoap(gw.soapUrl, 'Sale', sale(receipt('conflict'), '15.01'));
    expect(afterwards.faultCode).toBe('GW_IDEMPOTENCY_CONFLICT');
    const stats = await gw.sim.control.stats();
    expect(stats.initCalls - before.initCalls).toBe(1);
    expect(stats.transactions - before.transactions).toBe(1);
  });

  it('SensePass down at the deadline → UNKNOWN; the same Sale again, once SensePass is back, gets the final answer', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const pending = postSoap(gw.soapUrl, 'Sale', sale(receipt('unknown'), '15.00'));
    const n = await txFor(gw.sim, receipt('unknown'));
    await sleep(150); // subscribed and read once
    await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 503 });
    let first;
    try {
      first = await pending;
      expect(first.fields.Result).toBe('UNKNOWN');
      expect(first.fields.ResultCode).toBe('90');
      // The consumer paid while SensePass could not be asked; the gateway's cancel never got through.
      await gw.sim.control.approve(n);
    } finally {
      await gw.sim.control.resetFaults();
    }
    const entry = await gw.gateway.context.journal.findByKey('anonymous', `T7/${receipt('unknown')}`);
    expect(entry?.state === 'UNKNOWN' || entry?.state === 'SETTLED').toBe(true);
    const again = await postSoap(gw.soapUrl, 'Sale', sale(receipt('unknown'), '15.00'));
    expect(again.fields.Result).toBe('APPROVED');
    expect(again.fields.TransactionId).toBe(n);
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed);
    expect(tx.committed).toBe(true); // the retry delivered the approval, so it is committed now
    expect(tx.entity.status).toBe(5);
    const third = await postSoap(gw.soapUrl, 'Sale', sale(receipt('unknown'), '15.00'));
    expect(third.text).toBe(again.text);
  });

  it('nothing is left behind', async () => {
    const left = await waitFor(() => leftovers(gw), (l) => Object.values(l).every((v) => v === 0), 3_000);
    expect(left).toEqual(NOTHING_LEFT);
  });
});

