// Issue 11: with the default config (simulator mode, every endpoint anonymous), none of the money-moving requests a
// stranger on the network could send moves money: credit, raw-card pay and listing are GW_FORBIDDEN, refunds are
// bounded by what is left of the original charge in every dialect, and a pending payment the caller did not create
// cannot be cancelled (it is "not found"). The simulator's own state shows nothing moved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { waitFor } from '../xml/raw-http.js';
import { expectForbidden, till, type Till } from './clients.js';

let gw: TestGateway;
let pos: Till;
beforeAll(async () => {
  gw = await startTestGateway();
  pos = till(gw.url);
});
afterAll(async () => {
  await gw.close();
});

/** An approved Sale through the sample contract (the README's first payment), anonymous. */
async function approvedSale(receipt: string, amount: string): Promise<string> {
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 30 }]);
  const r = await pos.acme('Sale', { TerminalId: 'T1', ReceiptNo: receipt, Amount: amount, Currency: 'USD' });
  expect(r.fields.Result).toBe('APPROVED');
  return r.fields.TransactionId as string;
}

describe('default policy for anonymous callers (simulator mode)', () => {
  it('the README Sale still works anonymously', async () => {
    const n = await approvedSale('readme-1', '12.50');
    expect((await gw.sim.control.transaction(n)).entity.status).toBe(5);
  });

  it('POST /api/transactions/credit of 1,000,000.00 to a card tokenized a minute earlier → GW_FORBIDDEN, no credit', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 30 }]);
    const tokenized = await pos.api('POST', 'transactions/init/sync', { methodType: 'Tokenize', timeOut: 60 });
    expect(tokenized.json.status).toBe(5);
    const read = await pos.api('GET', `transactions/${tokenized.json.TransactionNumber as string}`);
    const token = (read.json.paymentDetails as { token?: string }).token;
    expect(token).toMatch(/.{32,}/);
    const before = await gw.sim.control.transactions();
    const r = await pos.api('POST', 'transactions/credit', { token, refundAmount: 100_000_000 });
    expectForbidden(r);
    // The same through the XML and SOAP dialects.
    expect((await pos.xml('transactions/credit', `<token>${token as string}</token><refundAmount>100000000</refundAmount>`)).code).toBe('GW_FORBIDDEN');
    expect((await pos.soap('transactions/credit', `<token>${token as string}</token><refundAmount>100000000</refundAmount>`)).code).toBe('GW_FORBIDDEN');
    expect(await gw.sim.control.transactions()).toEqual(before); // a credit would be a new transaction
  });

  it('POST /api/transactions/pay with a raw card number → GW_FORBIDDEN, nothing charged', async () => {
    const before = await gw.sim.control.transactions();
    const r = await pos.api('POST', 'transactions/pay', {
      amount: 100,
      currency: 'USD',
      creditCardDetails: { cardNumber: '4111111111111111', securityCode: '123', cardExpiration: '12/30' },
    });
    expectForbidden(r);
    expect(gw.logText()).not.toContain('4111111111111111');
    expect(await gw.sim.control.transactions()).toEqual(before);
  });

  it('listing every transaction (GET or POST /api/transactions, and the dialects) → GW_FORBIDDEN', async () => {
    expectForbidden(await pos.api('GET', 'transactions'));
    expectForbidden(await pos.api('POST', 'transactions', { startDate: '2020-01-01T00:00:00Z', endDate: '2099-01-01T00:00:00Z' }));
    const xml = await pos.xml('transactions', '<startDate>2020-01-01T00:00:00Z</startDate><endDate>2099-01-01T00:00:00Z</endDate>');
    expect([xml.status, xml.code]).toEqual([403, 'GW_FORBIDDEN']);
    expect((await pos.soap('transactions', '<startDate>2020-01-01T00:00:00Z</startDate>')).code).toBe('GW_FORBIDDEN');
  });

  it('refunds beyond what was charged are refused in every dialect and the SOAP Refund; what is left still refunds', async () => {
    const n = await approvedSale('refund-1', '12.50');
    const refundsBefore = (await gw.sim.control.stats()).refunds;
    // The mapped Refund of 10.00: allowed (the sale charged 12.50).
    const first = await pos.acme('Refund', { TerminalId: 'T1', ReceiptNo: 'refund-1-r1', OriginalReceiptNo: 'refund-1', Amount: '10.00' });
    expect(first.fields.Result, first.text).toBe('APPROVED');
    // Another 10.00 through the mapped Refund: only 2.50 is left.
    const second = await pos.acme('Refund', { TerminalId: 'T1', ReceiptNo: 'refund-1-r2', OriginalReceiptNo: 'refund-1', Amount: '10.00' });
    expect(second.faultCode).toBe('GW_FORBIDDEN');
    // The same through the three pass-through dialects, and a full refund (no amount) that would take the rest twice.
    expectForbidden(await pos.api('POST', 'transactions/refund', { transactionNumber: n, isPartial: true, refundAmount: 1000 }));
    expect((await pos.xml('transactions/refund', `<transactionNumber>${n}</transactionNumber><isPartial>true</isPartial><refundAmount>1000</refundAmount>`)).code).toBe('GW_FORBIDDEN');
    expect((await pos.soap('transactions/refund', `<transactionNumber>${n}</transactionNumber><isPartial>true</isPartial><refundAmount>99999999</refundAmount>`)).code).toBe('GW_FORBIDDEN');
    expect((await gw.sim.control.stats()).refunds).toBe(refundsBefore + 1);
    // Bounded, not blocked: the 2.50 left refunds once; after it nothing is left.
    const rest = await pos.api('POST', 'transactions/refund', { transactionNumber: n, isPartial: true, refundAmount: 250 });
    expect([rest.status, rest.json.errorCode]).toEqual([200, 0]);
    expectForbidden(await pos.api('POST', 'transactions/refund', { transactionNumber: n }));
    const sim = await gw.sim.control.transaction(n);
    expect(sim.entity.status).toBe(11);
    expect((await gw.sim.control.stats()).refunds).toBe(refundsBefore + 2);
  });

  it('a pending payment this caller did not create cannot be cancelled: not found, still pending', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    // Someone else's payment on the same SensePass device (created directly, not through this gateway).
    const res = await fetch(`${gw.sim.restBaseUrl}/transactions/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 5000, currency: 'USD', isCent: true, timeOut: 120, deviceId: DEMO_DEVICE_ID }),
    });
    const n = ((await res.json()) as { TransactionNumber: string }).TransactionNumber;
    const cancel = await pos.api('POST', `transactions/cancel/${n}`);
    const unknown = await pos.api('POST', `transactions/cancel/${'0'.repeat(56)}`);
    expect([cancel.status, cancel.json.code]).toEqual([404, 'GW_TRANSACTION_NOT_FOUND']);
    expect({ ...cancel.json, requestId: '' }).toEqual({ ...unknown.json, requestId: '' });
    expect((await pos.xml(`transactions/cancel/${n}`, '')).code).toBe('GW_TRANSACTION_NOT_FOUND');
    expect((await pos.soap(`transactions/cancel/${n}`, '')).code).toBe('GW_TRANSACTION_NOT_FOUND');
    const sim = await waitFor(() => gw.sim.control.transaction(n), () => true);
    expect(sim.cancelCalls).toBe(0);
    expect(sim.entity.status).toBe(0);
  });
});
