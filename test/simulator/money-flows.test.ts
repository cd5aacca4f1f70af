// Refunds, tokens, authorizations, card payments, credits and rules: amounts in cents in, major strings out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionEntity } from '../../src/exchange/call/transaction.js';
import { DEMO_DEVICE_ID, DEMO_MERCHANT_API_KEY } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, init, listen, waitFor, type Listener } from './helpers.js';

let sim: RunningSimulator;
const listeners: Listener[] = [];
beforeEach(async () => {
  sim = await startSimulator({ approveAfterMs: 0 });
});
afterEach(async () => {
  for (const l of listeners.splice(0)) l.close();
  await sim.close();
});

const dev = { deviceId: DEMO_DEVICE_ID };
type PayAnswer = { success: boolean; transactionNumber: string; transactionStatus: string; confirmation: { confirmationNumber: string }[]; transaction: TransactionEntity };

async function approved(extra: Record<string, unknown> = {}): Promise<TransactionEntity> {
  const e = await init(sim, extra);
  return sim.control.approve(e.TransactionNumber);
}

describe('simulator refunds', () => {
  it('partial then full refund: 12 → 13, 12 → 11, confirmations appended, void before settlement', async () => {
    const { TransactionNumber: n } = await approved({ amount: 1000 });
    const l = await listen(sim, `tr_${n}`);
    listeners.push(l);
    const part = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n, isPartial: true, refundAmount: 250 });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ errorCode: 0, errorMessage: null, result: 'Approved', operation: 'void', refundAmount: '2.5', transaction: { TransactionNumber: n, amount: '10', status: 13 } });
    expect(part.body.refundConfirmation).toMatch(/^063-/);
    const rest = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n });
    expect(rest.body).toMatchObject({ errorCode: 0, refundAmount: '7.5', transaction: { status: 11 } });
    await waitFor(() => l.events.length === 4);
    expect(l.events.map((e) => e.status)).toEqual([12, 13, 12, 11]);
    expect(l.events[3]?.confirmations?.map((c) => c.paymentType)).toEqual(['Regular', 'Void', 'Void']);
    const more = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n });
    expect(more).toMatchObject({ status: 400, body: { success: false, code: 'SIM_NOT_REFUNDABLE', result: 'Declined', refundConfirmation: null } });
    expect((await sim.control.stats()).refunds).toBe(2);
  });

  it('refunds (not voids) after the settlement point, and refuses more than is left', async () => {
    const { TransactionNumber: n } = await approved({ amount: 1000 });
    await fetch(`${sim.restBaseUrl}/transactions/commitPayment/${n}`);
    await sim.control.advanceClock(7_200_000);
    const r = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n, isPartial: true, refundAmount: 1001 });
    expect(r).toMatchObject({ status: 400, body: { code: 'SIM_NOT_REFUNDABLE' } });
    const ok = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n, isPartial: true, refundAmount: 1 });
    expect(ok.body).toMatchObject({ operation: 'refund', refundAmount: '0.01', transaction: { status: 13 } });
  });

  it('a refund rule declines with errorCode 22 and leaves the payment alone', async () => {
    const { TransactionNumber: n } = await approved();
    await sim.control.setRules([{ when: { methodType: 'refund' }, then: 'decline' }]);
    const r = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n });
    expect(r).toMatchObject({ status: 200, body: { errorCode: 22, result: 'Declined', errorMessage: 'refund operation declined by Processor' } });
    expect((await sim.control.transaction(n)).entity.status).toBe(5);
  });

  it('refuses to refund a pending payment', async () => {
    const { TransactionNumber: n } = await init(sim);
    const r = await call(sim, 'POST', '/transactions/refund', { ...dev, transactionNumber: n });
    expect(r).toMatchObject({ status: 400, body: { code: 'SIM_NOT_REFUNDABLE' } });
  });
});

describe('simulator tokens and authorizations', () => {
  it('Tokenize gives a 256-char token; pay with it charges and needs a commit', async () => {
    const e = await init(sim, { methodType: 'Tokenize', amount: undefined, currency: undefined });
    expect(e).toMatchObject({ methodType: 1, paymentDetails: { type: 'Tokenize' } });
    expect(e.amount).toBeUndefined();
    const ok = await sim.control.approve(e.TransactionNumber);
    const token = ok.paymentDetails?.token ?? '';
    expect(token).toMatch(/^[a-z0-9]{256}$/);
    expect(ok.paymentCommit).toEqual({ messsage: 'Payment commit is enabled for this transaction' });
    const pay = await call<PayAnswer>(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 4321, currency: 'EUR' });
    expect(pay.body).toMatchObject({ success: true, transactionStatus: 'TransactionApproved', transaction: { amount: '43.21', currency: 'EUR', status: 5, methodType: 0 } });
    expect(pay.body.confirmation[0]?.confirmationNumber).toMatch(/^063-/);
    expect(pay.body.transaction.paymentCommit?.commitLink).toContain(pay.body.transactionNumber);
    const cents = await call(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 12.5, isCent: false });
    expect(cents.status).toBe(400);
    const unknown = await call(sim, 'POST', '/transactions/pay', { ...dev, token: 'x'.repeat(256), amount: 100 });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'SIM_TOKEN_REJECTED' } });
  });

  it('Authorize: partial captures until the authorized amount is used, then closeAuth / void rules', async () => {
    const auth = await approved({ methodType: 'Authorize', amount: 1000 });
    expect(auth).toMatchObject({ methodType: 2, paymentDetails: { type: 'Authorize' } });
    const token = auth.paymentDetails?.token ?? '';
    const n = auth.TransactionNumber;
    const close0 = await call(sim, 'POST', `/transactions/${n}/closeAuth`, dev);
    expect(close0).toMatchObject({ status: 409, body: { code: 'SIM_WRONG_STATE' } });
    const c1 = await call<PayAnswer>(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 600 });
    expect(c1.body).toMatchObject({ success: true, transaction: { amount: '6' } });
    const over = await call(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 401 });
    expect(over).toMatchObject({ status: 400, body: { code: 'SIM_TOKEN_REJECTED' } });
    const voidAfterCapture = await call(sim, 'POST', '/transactions/void', { ...dev, transactionNumber: n });
    expect(voidAfterCapture.status).toBe(409);
    const close = await call(sim, 'POST', `/transactions/${n}/closeAuth`, dev);
    expect(close.body).toMatchObject({ success: true, capturedAmount: '6', releasedAmount: '4' });
    const afterClose = await call(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 100 });
    expect(afterClose.status).toBe(400);
    const reauth = await call<PayAnswer>(sim, 'POST', '/transactions/authorize', { ...dev, token, amount: 300 });
    expect(reauth.body).toMatchObject({ success: true, transaction: { methodType: 2, amount: '3', paymentDetails: { token } } });
    const c2 = await call<PayAnswer>(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 300 });
    expect(c2.body.success).toBe(true);
    const full = await call(sim, 'POST', `/transactions/${reauth.body.transactionNumber}/closeAuth`, dev);
    expect(full).toMatchObject({ status: 409, body: { message: expect.stringContaining('fully captured') } });
  });

  it('void releases an uncaptured authorization: 5 → 9, token unusable', async () => {
    const auth = await approved({ methodType: 'authorize', amount: 500 });
    const token = auth.paymentDetails?.token ?? '';
    const v = await call(sim, 'POST', '/transactions/void', { ...dev, token });
    expect(v.body).toMatchObject({ errorCode: 0, result: 'Approved', transaction: { status: 9 } });
    expect((await call(sim, 'POST', '/transactions/pay', { ...dev, token, amount: 1 })).status).toBe(400);
  });

  it('Capture+Tokenize charges and returns a token; credit pays back to a token', async () => {
    const ct = await approved({ methodType: 'Capture+Tokenize', amount: 3000 });
    expect(ct).toMatchObject({ methodType: 4, amount: '30', paymentDetails: { type: 'Capture+Tokenize' } });
    const credit = await call(sim, 'POST', '/transactions/credit', { ...dev, token: ct.paymentDetails?.token, refundAmount: 10001 });
    expect(credit.body).toMatchObject({ errorCode: 0, result: 'Approved', transaction: { amount: '100.01', status: 5 } });
  });
});

describe('simulator card payments and rules', () => {
  it('pays with creditCardDetails.* and with creditCard.*, never keeping the card number', async () => {
    const a = await call<PayAnswer>(sim, 'POST', '/transactions/pay', {
      merchantApiKey: DEMO_MERCHANT_API_KEY, branchNumber: '1', amount: 999, currency: 'ILS',
      creditCardDetails: { cardNumber: '5555555555554444', securityCode: '123', cardExpiration: '12/30' },
    });
    expect(a.body).toMatchObject({ success: true, transaction: { amount: '9.99', currency: 'ILS', confirmations: [{ cardType: 'MASTERCARD', lastFourDigits: '4444' }] } });
    const info = await sim.control.transaction(a.body.transactionNumber);
    expect(JSON.stringify(info)).not.toContain('5555555555554444');
    const b = await call<PayAnswer>(sim, 'POST', '/transactions/pay', { ...dev, amount: 100, currency: 'USD', creditCard: { cardNumber: '4111111111111111', expiration: '1234' } });
    expect(b.body.success).toBe(true);
    const badLuhn = await call(sim, 'POST', '/transactions/pay', { ...dev, amount: 100, currency: 'USD', creditCard: { cardNumber: '4111111111111112', expiration: '12/34' } });
    expect(badLuhn).toMatchObject({ status: 400, body: { code: 'SIM_INVALID_INPUT' } });
  });

  it('rules pick outcomes by amount and posData path; first match wins', async () => {
    await sim.control.setRules([
      { when: { amount: 666 }, then: 'decline', afterMs: 0 },
      { when: { posData: { 'terminal.id': 'T9' } }, then: 'fail', afterMs: 0 },
      { when: { amountGte: 100_000 }, then: 'none' },
      { then: 'approve', afterMs: 10 },
    ]);
    const declined = await init(sim, { amount: 666, posData: { terminal: { id: 'T9' } } });
    const failed = await init(sim, { amount: 700, posData: { terminal: { id: 'T9' } } });
    const untouched = await init(sim, { amount: 100_000 });
    const ok = await init(sim, { amount: 701 });
    const status = async (e: TransactionEntity) => (await sim.control.transaction(e.TransactionNumber)).entity.status;
    await waitFor(async () => (await status(ok)) === 5);
    expect(await status(declined)).toBe(6);
    expect(await status(failed)).toBe(7);
    expect(await status(untouched)).toBe(0);
    const card = await call<PayAnswer>(sim, 'POST', '/transactions/pay', { ...dev, amount: 666, currency: 'USD', creditCard: { cardNumber: '4111111111111111', expiration: '12/34' } });
    expect(card.body).toMatchObject({ success: false, transactionStatus: 'TransactionDeclined', confirmation: [] });
    await sim.control.resetRules();
    expect(await sim.control.getRules()).toEqual([]);
  });
});

describe('simulator list, update and subscriptions', () => {
  it('lists by date range with paging, status and filter operators', async () => {
    const a = await approved({ amount: 100 });
    await init(sim, { amount: 200 });
    await init(sim, { amount: 300, currency: 'CAD' });
    const range = { startDate: new Date(Date.now() - 60_000).toISOString(), endDate: new Date(Date.now() + 60_000).toISOString() };
    const all = await call<{ pagination: Record<string, unknown>; data: TransactionEntity[] }>(sim, 'POST', '/transactions', { ...dev, ...range, pagination: { limit: 2, offset: 0 } });
    expect(all.body.pagination).toMatchObject({ returnedRecords: 2, totalRecords: 3, isPartialResult: 'true' });
    const approvedOnly = await call<{ data: TransactionEntity[] }>(sim, 'POST', '/transactions', { ...dev, ...range, status: 5 });
    expect(approvedOnly.body.data.map((e) => e.TransactionNumber)).toEqual([a.TransactionNumber]);
    const cad = await call<{ data: TransactionEntity[] }>(sim, 'POST', '/transactions', { ...dev, ...range, currency: 'CAD' });
    expect(cad.body.data).toHaveLength(1);
    const big = await call<{ data: TransactionEntity[] }>(sim, 'POST', '/transactions', { ...dev, ...range, filter: [{ amount: '1.5', operator: '>' }], orderBy: 'amount', orderDirection: 'desc' });
    expect(big.body.data.map((e) => e.amount)).toEqual(['3', '2']);
    expect((await call(sim, 'POST', '/transactions', { ...dev, startDate: range.startDate })).status).toBe(400);
    expect((await call(sim, 'POST', '/transactions', { ...dev, ...range, pagination: { limit: 1001 } })).status).toBe(400);
  });

  it('readyForPayment:false blocks approval until unlocked; PATCH updates amount and posData', async () => {
    const e = await init(sim, { amount: 100, readyForPayment: false });
    const n = e.TransactionNumber;
    await expect(sim.control.approve(n)).rejects.toMatchObject({ status: 409 });
    const patched = await call<TransactionEntity>(sim, 'PATCH', `/transactions/${n}`, { ...dev, amount: 550, isCent: true, posData: { step: 2 } });
    expect(patched.body).toMatchObject({ amount: '5.5', posData: { step: 2 }, status: 0 });
    const ready = await call(sim, 'POST', `/transactions/${n}/readyForPayment`, { ...dev, amount: 550, currency: 'USD', isCent: true });
    expect(ready.status).toBe(200);
    expect((await sim.control.approve(n)).status).toBe(5);
    const late = await call(sim, 'PATCH', `/transactions/${n}`, { ...dev, amount: 1 });
    expect(late).toMatchObject({ status: 409, body: { code: 'SIM_NOT_UPDATABLE' } });
  });

  it('subscription: create, approve (first charge), fetch and pause by header auth', async () => {
    const e = await init(sim, { methodType: 'subscription', amount: 1000, currency: undefined, subscription: { interval: '14day' } });
    const sub = e.subscription as { id: string; interval: string; status: string };
    expect(e.methodType).toBe(5);
    expect(sub).toMatchObject({ interval: '14day', status: 'active' });
    await sim.control.approve(e.TransactionNumber);
    await sim.control.chargeSubscription(sub.id);
    const fetched = await fetch(`${sim.restBaseUrl}/subscription/${sub.id}`, { headers: { deviceId: DEMO_DEVICE_ID } });
    const body = (await fetched.json()) as { payments: Record<string, unknown>[] };
    expect(body.payments).toHaveLength(2);
    expect(body.payments[0]).toMatchObject({ amount: '10', status: 5, methodType: 0, confirmation: { confirmationNumber: expect.stringMatching(/^063-/) } });
    const paused = await fetch(`${sim.restBaseUrl}/subscription/${sub.id}`, { method: 'PATCH', headers: { merchantApiKey: DEMO_MERCHANT_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'paused' }) });
    expect(await paused.json()).toMatchObject({ status: 'paused', active: false });
    await expect(sim.control.chargeSubscription(sub.id)).rejects.toMatchObject({ status: 409 });
    const noAuth = await fetch(`${sim.restBaseUrl}/subscription/${sub.id}`);
    expect(noAuth.status).toBe(401);
  });
});
