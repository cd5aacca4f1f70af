// Issue 4 through the real gateway: every final status, lost and late notifications, the deadline ladder and a POS
// that hangs up — in both Socket.IO modes. Sale's deadline is shortened to 3 s (copy of mappings/) to keep it quick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { cancelUpstream, leftovers, NOTHING_LEFT, shortSaleMappings, sleep, txFor, waitFor } from './helpers/e2e.js';

const DEADLINE_MS = 3_000;

describe.each(['transaction', 'device'] as const)('Sale outcomes over loopback (socketMode %s)', (socketMode) => {
  let gw: TestGateway;
  let mappings: ReturnType<typeof shortSaleMappings>;
  const receipt = (name: string) => `${socketMode}-${name}`;

  beforeAll(async () => {
    mappings = shortSaleMappings('3s', 60);
    gw = await startTestGateway({
      config: { paths: { mappings: mappings.dir }, sensepass: { socketMode, socketIdleMs: 300 } },
    });
    // Amount (cents) picks what the consumer does; anything else waits for the test to act.
    await gw.sim.control.setRules([
      { when: { amount: 1001 }, then: 'approve', afterMs: 100 },
      { when: { amount: 1002 }, then: 'decline', afterMs: 100 },
      { when: { amount: 1003 }, then: 'fail', afterMs: 100 },
      { when: { amount: 1004 }, then: 'expire', afterMs: 100 },
      { when: { amount: 1010 }, then: 'approve', afterMs: 0 },
      { when: { amount: 1020 }, then: 'approve', afterMs: 300 },
      { then: 'none' },
    ]);
  });
  afterAll(async () => {
    await gw?.close();
    mappings?.cleanup();
  });

  it.each([
    ['approve', '10.01', 'APPROVED', '0', 5],
    ['decline', '10.02', 'DECLINED', '6', 6],
    ['fail', '10.03', 'FAILED', '7', 7],
    ['expire', '10.04', 'TIMED_OUT', '8', 8],
  ])('%s → %s (ResultCode %s), SensePass status %i', async (name, amount, result, code, status) => {
    const started = Date.now();
    const r = await postSoap(gw.soapUrl, 'Sale', sale(receipt(name), amount));
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS); // the notification ended the wait, not the deadline
    expect(r.status).toBe(200);
    expect(r.fields.Result).toBe(result);
    expect(r.fields.ResultCode).toBe(code);
    const tx = await gw.sim.control.transaction(r.fields.TransactionId as string);
    expect(tx.entity.status).toBe(status);
    if (result === 'APPROVED') {
      expect(r.fields.AuthCode).toBe(tx.entity.confirmations?.[0]?.confirmationNumber);
      expect((await waitFor(() => gw.sim.control.transaction(tx.entity.TransactionNumber), (t) => t.committed)).committed).toBe(true);
    } else {
      expect(r.fields.AuthCode).toBeUndefined();
      expect(tx.committed).toBe(false);
    }
  });

  it('cancelled at SensePass by someone else → CANCELLED (9)', async () => {
    const pending = postSoap(gw.soapUrl, 'Sale', sale(receipt('cancel'), '10.05'));
    const n = await txFor(gw.sim, receipt('cancel'));
    expect(await cancelUpstream(gw.sim, n)).toBe(200);
    const r = await pending;
    expect(r.fields.Result).toBe('CANCELLED');
    expect(r.fields.ResultCode).toBe('9');
    expect(r.fields.TransactionId).toBe(n);
    expect((await gw.sim.control.transaction(n)).cancelCalls).toBe(1); // only the third party's; the gateway did not
  });

  it('every socket event dropped → the outcome still comes from the REST re-read', async () => {
    await gw.sim.control.setFaults({ socket: { drop: 1 } });
    try {
      const r = await postSoap(gw.soapUrl, 'Sale', sale(receipt('dropped'), '10.20'));
      expect(r.fields.Result).toBe('APPROVED');
      const stats = await gw.sim.control.stats();
      expect(stats.socketEventsDropped).toBeGreaterThan(0);
      expect((await gw.sim.control.transaction(r.fields.TransactionId as string)).entity.status).toBe(5);
    } finally {
      await gw.sim.control.resetFaults();
    }
  });

  it('server-initiated socket disconnect mid-wait, approved while disconnected → reconnect re-read answers', async () => {
    const started = Date.now();
    const pending = postSoap(gw.soapUrl, 'Sale', sale(receipt('disconnect'), '10.06'));
    const n = await txFor(gw.sim, receipt('disconnect'));
    await waitFor(() => gw.sim.control.stats(), (s) => s.sockets > 0);
    await sleep(100); // the subscription read has happened
    expect(await gw.sim.control.disconnectSockets()).toBeGreaterThan(0);
    await gw.sim.control.approve(n); // nobody is in the room: this event is lost
    const r = await pending;
    expect(r.fields.Result).toBe('APPROVED');
    expect(r.fields.TransactionId).toBe(n);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS); // the reconnect read, not the deadline
  });

  it('status final before the subscription existed (approve after 0 ms) → no hang', async () => {
    const started = Date.now();
    const r = await postSoap(gw.soapUrl, 'Sale', sale(receipt('early'), '10.10'));
    expect(r.fields.Result).toBe('APPROVED');
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS - 1_000);
  });

  it('deadline with the payment pending → cancelled by the gateway → CANCELLED, SensePass shows 9', async () => {
    const started = Date.now();
    const r = await postSoap(gw.soapUrl, 'Sale', sale(receipt('deadline'), '10.07'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(r.fields.Result).toBe('CANCELLED');
    expect(r.fields.ResultCode).toBe('9');
    const tx = await gw.sim.control.transaction(r.fields.TransactionId as string);
    expect(tx.entity.status).toBe(9);
    expect(tx.cancelCalls).toBe(1);
    expect(tx.committed).toBe(false);
  });

  it('deadline while the payment is processing (cancel too late), then approved → APPROVED and committed', async () => {
    const pending = postSoap(gw.soapUrl, 'Sale', sale(receipt('too-late'), '10.08'));
    const n = await txFor(gw.sim, receipt('too-late'));
    await gw.sim.control.processing(n);
    const refused = await waitFor(() => gw.sim.control.transaction(n), (t) => t.cancelCalls > 0, DEADLINE_MS + 2_000);
    expect(refused.cancelCalls).toBeGreaterThan(0);
    expect(refused.entity.status).toBe(4);
    await gw.sim.control.approve(n);
    const r = await pending;
    expect(r.fields.Result).toBe('APPROVED');
    expect(r.fields.TransactionId).toBe(n);
    expect((await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed)).committed).toBe(true);
  });

  it('the POS closes its connection mid-wait → the payment is cancelled at SensePass', async () => {
    const pos = new AbortController();
    const pending = postSoap(gw.soapUrl, 'Sale', sale(receipt('pos-gone'), '10.09'), { signal: pos.signal });
    const n = await txFor(gw.sim, receipt('pos-gone'));
    await sleep(100);
    pos.abort();
    await expect(pending).rejects.toThrow();
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.entity.status === 9, 2_000);
    expect(tx.entity.status).toBe(9);
    expect(tx.cancelCalls).toBe(1);
    const entry = await waitFor(
      () => gw.gateway.context.journal.findByKey('anonymous', `T7/${receipt('pos-gone')}`),
      (e) => e?.state === 'SETTLED',
    );
    expect(entry?.outcome).toBe('CANCELLED');
  });

  it('afterwards nothing is left: no sockets, watches, timers, in-flight entries or reconciler jobs', async () => {
    const left = await waitFor(() => leftovers(gw), (l) => Object.values(l).every((v) => v === 0), 2_000);
    expect(left).toEqual(NOTHING_LEFT);
    expect((await waitFor(() => gw.sim.control.stats(), (s) => s.sockets === 0, 2_000)).sockets).toBe(0);
  });
});
