// Payment lifecycle through the simulator: rooms, approve + commit, decline, expiry, cancel, reversal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, init, listen, sleep, waitFor, type Listener } from './helpers.js';

let sim: RunningSimulator;
const listeners: Listener[] = [];
beforeEach(async () => {
  sim = await startSimulator({ approveAfterMs: 0 });
});
afterEach(async () => {
  for (const l of listeners.splice(0)) l.close();
  await sim.close();
});

async function both(n: string): Promise<[Listener, Listener]> {
  const tr = await listen(sim, `tr_${n}`);
  const dev = await listen(sim, `id_${DEMO_DEVICE_ID}`);
  listeners.push(tr, dev);
  return [tr, dev];
}

describe('simulator lifecycle', () => {
  it('creates a payment shaped like the reference entity', async () => {
    const e = await init(sim, { amount: 1005, posData: { till: 7 }, products: [{ name: 'Tea', quantity: 2, amount: 500, vat: 5, discount: 0 }] });
    expect(e.TransactionNumber).toMatch(/^[0-9a-f]{56}$/);
    expect(e).toMatchObject({ amount: '10.05', baseAmount: '10.05', currency: 'USD', status: 0, statusName: 'Initialize', methodType: 0, posData: { till: 7 } });
    expect(Date.parse(String(e.timeoutDate)) - Date.parse(String(e.date))).toBe(600_000);
    expect(e.paymentCommit).toEqual({ messsage: 'Payment commit is enabled for this transaction' });
    expect(e.productsSum).toMatchObject({ allTotalSum: '10.10' });
    expect(e.productSumMismatch).toBe(true);
    const page = e.transactionPage as { consumerPage: Record<string, string>; qrURL: string };
    expect(page.consumerPage.medium).toBe(`${page.qrURL}?viewMode=medium`);
    const got = await call(sim, 'GET', `/transactions/${e.TransactionNumber}?deviceId=${DEMO_DEVICE_ID}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(e);
  });

  it('tells both rooms about every status change, then approves and counts the commit', async () => {
    const e = await init(sim);
    const n = e.TransactionNumber;
    const [tr, dev] = await both(n);
    await sim.control.tap(n);
    await sim.control.userApprove(n);
    await sim.control.processing(n);
    const approved = await sim.control.approve(n);
    for (const l of [tr, dev]) {
      await waitFor(() => l.events.length === 4);
      expect(l.events.map((m) => m.status)).toEqual([1, 2, 4, 5]);
      expect(l.events[3]?.TransactionNumber).toBe(n);
    }
    expect(approved.confirmations?.[0]?.confirmationNumber).toMatch(/^063-[a-z0-9]{9}$/);
    expect(approved.confirmations?.[0]).toMatchObject({ cardType: 'VISA', lastFourDigits: '1111', cardMask: '411111******1111' });
    const pc = approved.paymentCommit as { commitLink: string; isPaymentCommitted: boolean; secondsToCommit: number };
    expect(pc.commitLink).toBe(`${sim.restBaseUrl}/transactions/commitPayment/${n}`);
    expect(pc.isPaymentCommitted).toBe(false);
    expect(pc.secondsToCommit).toBe(7200);
    const commit = await fetch(pc.commitLink);
    expect(commit.status).toBe(200);
    const info = await sim.control.transaction(n);
    expect(info).toMatchObject({ committed: true, reversed: false, cancelCalls: 0 });
    expect((info.entity.paymentCommit as { isPaymentCommitted: boolean }).isPaymentCommitted).toBe(true);
    const stats = await sim.control.stats();
    expect(stats).toMatchObject({ commits: 1, reversals: 0, initCalls: 1, transactions: 1, sockets: 2 });
    expect(stats.byStatus['5']).toBe(1);
  });

  it('declines, and refuses an illegal transition afterwards with 409', async () => {
    const { TransactionNumber: n } = await init(sim);
    const [tr] = await both(n);
    expect((await sim.control.decline(n)).status).toBe(6);
    await waitFor(() => tr.events.length === 1);
    expect(tr.events[0]).toMatchObject({ status: 6, statusName: 'Transaction Declined' });
    await expect(sim.control.approve(n)).rejects.toMatchObject({ status: 409, body: { success: false, code: 'SIM_ILLEGAL_TRANSITION' } });
  });

  it('keeps a user-declined payment open: another consumer may still approve', async () => {
    const { TransactionNumber: n } = await init(sim);
    expect((await sim.control.userDecline(n)).status).toBe(3);
    expect((await sim.control.approve(n)).status).toBe(5);
  });

  it('expires at timeoutDate', async () => {
    const { TransactionNumber: n } = await init(sim, { timeOut: 1 });
    const [tr] = await both(n);
    await waitFor(() => tr.events.length === 1, 3000);
    expect(tr.events[0]).toMatchObject({ status: 8, statusName: 'Transaction Timeout' });
  });

  it('approves by the default rule after approveAfterMs', async () => {
    await sim.close();
    sim = await startSimulator({ approveAfterMs: 100 });
    const { TransactionNumber: n } = await init(sim);
    const [tr] = await both(n);
    await waitFor(() => tr.events.length === 1);
    expect(tr.events[0]?.status).toBe(5);
  });

  it('cancels a pending payment, and answers 501 when it is too late', async () => {
    const { TransactionNumber: n } = await init(sim);
    const [tr] = await both(n);
    const ok = await call(sim, 'POST', `/transactions/cancel/${n}`, { deviceId: DEMO_DEVICE_ID });
    expect(ok).toMatchObject({ status: 200, body: { status: 200, status_message: 'Transaction Was Canceled' } });
    await waitFor(() => tr.events.length === 1);
    expect(tr.events[0]?.status).toBe(9);
    const again = await call(sim, 'POST', `/transactions/cancel/${n}`, { deviceId: DEMO_DEVICE_ID });
    expect(again.status).toBe(501);
    expect(again.body).toMatchObject({ success: false, code: 'SIM_CANNOT_CANCEL', errorCode: 7 });

    const { TransactionNumber: m } = await init(sim);
    await sim.control.processing(m);
    const processing = await call(sim, 'POST', `/transactions/cancel/${m}`, { deviceId: DEMO_DEVICE_ID });
    expect(processing.status).toBe(501);
    expect((await sim.control.transaction(m)).cancelCalls).toBe(1);
    expect((await sim.control.approve(m)).status).toBe(5);
  });

  it('cancels the newest open payment of a device', async () => {
    const first = await init(sim);
    const second = await init(sim);
    const r = await call(sim, 'POST', `/transactions/cancelByDeviceId/${DEMO_DEVICE_ID}`, { deviceId: DEMO_DEVICE_ID });
    expect(r.status).toBe(200);
    expect((await sim.control.transaction(second.TransactionNumber)).entity.status).toBe(9);
    expect((await sim.control.transaction(first.TransactionNumber)).entity.status).toBe(0);
  });

  it('reverses an approved payment whose commit window passes without a commit', async () => {
    await sim.close();
    sim = await startSimulator({ approveAfterMs: 0, commitWindowSeconds: 1 });
    const { TransactionNumber: n } = await init(sim);
    const [tr] = await both(n);
    await sim.control.approve(n);
    await waitFor(() => tr.events.length === 2, 4000);
    expect(tr.events[1]).toMatchObject({ status: 11, statusName: 'Transaction Refund' });
    expect(tr.events[1]?.confirmations?.map((c) => c.paymentType)).toEqual(['Regular', 'Reversal']);
    const info = await sim.control.transaction(n);
    expect(info).toMatchObject({ committed: false, reversed: true });
    const late = await fetch(`${sim.restBaseUrl}/transactions/commitPayment/${n}`);
    expect(late.status).toBe(409);
    expect((await sim.control.stats()).reversals).toBe(1);
  });

  it('does not reverse a committed payment; the clock can be moved forward', async () => {
    const { TransactionNumber: n } = await init(sim);
    await sim.control.approve(n);
    await fetch(`${sim.restBaseUrl}/transactions/commitPayment/${n}`);
    await sim.control.advanceClock(7_201_000);
    await sleep(50);
    const { TransactionNumber: m } = await init(sim);
    await sim.control.approve(m);
    await sim.control.advanceClock(7_201_000);
    await waitFor(async () => (await sim.control.transaction(m)).reversed);
    expect((await sim.control.transaction(n)).entity.status).toBe(5);
    expect(await sim.control.stats()).toMatchObject({ commits: 1, reversals: 1 });
  });
});
