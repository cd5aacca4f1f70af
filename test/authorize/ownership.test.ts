// Issue 11: two authenticated tills on the same SensePass device. Till B cannot read, refund, cancel, PATCH or
// unlock till A's transaction by number through any dialect (/api, /api-xml, /api-soap, the mapped Acme operations):
// the answer is exactly the "not found" of an unknown number. Till A can do all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { blankRequestId, till, withoutRequestId, type Till } from './clients.js';

const BASIC = { auth: ['basic'] };
let gw: TestGateway;
let a: Till;
let b: Till;
let c: Till;
beforeAll(async () => {
  gw = await startTestGateway({
    config: {
      endpoints: { 'terminal-agent': BASIC, 'sensepass-xml': BASIC, 'sensepass-soap': BASIC, 'acme-pos': BASIC },
      clients: {
        'till-a': { password: 'secret-a', sensepass: { deviceId: DEMO_DEVICE_ID } },
        'till-b': { password: 'secret-b', sensepass: { deviceId: DEMO_DEVICE_ID } },
        // A till that may only sell and ask for status.
        'till-c': { password: 'secret-c', sensepass: { deviceId: DEMO_DEVICE_ID }, allow: ['acme-pos.sale', 'acme-pos.get-transaction-status'] },
      },
    },
  });
  a = till(gw.url, { name: 'till-a', password: 'secret-a' });
  b = till(gw.url, { name: 'till-b', password: 'secret-b' });
  c = till(gw.url, { name: 'till-c', password: 'secret-c' });
});
afterAll(async () => {
  await gw.close();
});

const UNKNOWN = 'f'.repeat(56);

/** A pending payment created by till A through the Terminal Agent API. */
async function pendingOfA(amount = 2500): Promise<string> {
  await gw.sim.control.setRules([{ then: 'none' }]);
  const r = await a.api('POST', 'transactions/init', { amount, currency: 'USD', isCent: true, timeOut: 120, posData: { lane: 3 } });
  expect(r.status).toBe(200);
  return r.json.TransactionNumber as string;
}

describe('ownership of TransactionNumbers between two tills', () => {
  it('B gets "not found" — the same answer as an unknown number — for A pending payment, in every dialect', async () => {
    const n = await pendingOfA();
    const same = async (call: (num: string) => Promise<{ status: number; json: Record<string, unknown> }>) => {
      const theirs = await call(n);
      expect(withoutRequestId(theirs)).toEqual(withoutRequestId(await call(UNKNOWN)));
      expect([theirs.status, theirs.json.code]).toEqual([404, 'GW_TRANSACTION_NOT_FOUND']);
    };
    await same((num) => b.api('GET', `transactions/${num}`));
    await same((num) => b.api('PATCH', `transactions/${num}`, { reason: 'mine now', amount: 1 }));
    await same((num) => b.api('POST', `transactions/${num}/readyForPayment`, {}));
    await same((num) => b.api('POST', `transactions/cancel/${num}`));
    const xmlSame = async (path: (num: string) => string, fields: string, headers: Record<string, string> = {}) => {
      const theirs = await b.xml(path(n), fields, headers);
      expect(blankRequestId(theirs.text)).toBe(blankRequestId((await b.xml(path(UNKNOWN), fields, headers)).text));
      expect([theirs.status, theirs.code]).toEqual([404, 'GW_TRANSACTION_NOT_FOUND']);
    };
    await xmlSame((num) => `transactions/${num}`, '');
    await xmlSame((num) => `transactions/${num}`, '<reason>mine now</reason>', { 'x-http-method-override': 'PATCH' });
    await xmlSame((num) => `transactions/cancel/${num}`, '');
    const soapTheirs = await b.soap(`transactions/cancel/${n}`, '');
    expect(blankRequestId(soapTheirs.text)).toBe(blankRequestId((await b.soap(`transactions/cancel/${UNKNOWN}`, '')).text));
    expect(soapTheirs.code).toBe('GW_TRANSACTION_NOT_FOUND');
    expect((await b.soap(`transactions/${n}`, '')).code).toBe('GW_TRANSACTION_NOT_FOUND');
    // Both tills pay on one SensePass device: "cancel the device's last payment" could hit A's, so B may not use it.
    const byDevice = await b.api('POST', `transactions/cancelByDeviceId/${DEMO_DEVICE_ID}`);
    expect([byDevice.status, byDevice.json.code]).toEqual([403, 'GW_FORBIDDEN']);
    // B's "last" is its own (it has none), never A's.
    expect((await b.api('GET', 'transactions/last')).json.code).toBe('GW_AGENT_NO_TRANSACTION');

    const sim = await gw.sim.control.transaction(n);
    expect(sim.cancelCalls).toBe(0);
    expect(sim.entity.status).toBe(0);
    expect(sim.entity.amount).toBe('25'); // B's PATCH of the amount never arrived
    expect(sim.entity.reason ?? null).toBeNull();
  });

  it('A reads, PATCHes (keeping its ownership) and cancels its own payment', async () => {
    const n = await pendingOfA();
    expect((await a.api('GET', `transactions/${n}`)).json.TransactionNumber).toBe(n);
    const patched = await a.api('PATCH', `transactions/${n}`, { reason: 'two shirts', posData: { lane: 4, gatewayKey: 'till-b/stolen' } });
    expect(patched.status).toBe(200);
    expect((patched.json.posData as Record<string, unknown>).gatewayKey).toMatch(/^till-a\//);
    expect((await a.xml(`transactions/${n}`, '')).status).toBe(200);
    expect((await a.soap(`transactions/${n}`, '')).text).toContain('<reason>two shirts</reason>');
    const cancelled = await a.api('POST', `transactions/cancel/${n}`);
    expect(cancelled.status).toBe(200);
    expect((await gw.sim.control.transaction(n)).entity.status).toBe(9);
    expect(((await a.api('GET', 'transactions/last')).json.TransactionNumber)).toBe(n);
  });

  it('B cannot refund A approved sale (pass-through or mapped Refund / GetTransactionStatus); A can', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 30 }]);
    const sale = await a.acme('Sale', { TerminalId: 'T1', ReceiptNo: 'own-1', Amount: '40.00', Currency: 'USD' });
    expect(sale.fields.Result).toBe('APPROVED');
    const n = sale.fields.TransactionId as string;
    const refundsBefore = (await gw.sim.control.stats()).refunds;

    const viaApi = await b.api('POST', 'transactions/refund', { transactionNumber: n, isPartial: true, refundAmount: 100 });
    expect(withoutRequestId(viaApi)).toEqual(withoutRequestId(await b.api('POST', 'transactions/refund', { transactionNumber: UNKNOWN, isPartial: true, refundAmount: 100 })));
    expect(viaApi.json.code).toBe('GW_TRANSACTION_NOT_FOUND');
    expect((await b.xml('transactions/refund', `<transactionNumber>${n}</transactionNumber>`)).code).toBe('GW_TRANSACTION_NOT_FOUND');
    expect((await b.soap('transactions/refund', `<transactionNumber>${n}</transactionNumber>`)).code).toBe('GW_TRANSACTION_NOT_FOUND');
    // The mapped operations find originals by the POS's receipt number in the caller's own journal scope only.
    const mapped = await b.acme('Refund', { TerminalId: 'T1', ReceiptNo: 'b-refund-1', OriginalReceiptNo: 'own-1' });
    expect(mapped.fields.Result).toBe('NOT_FOUND');
    expect((await b.acme('GetTransactionStatus', { TerminalId: 'T1', ReceiptNo: 'own-1' })).fields.Result).toBe('NOT_FOUND');
    expect((await gw.sim.control.stats()).refunds).toBe(refundsBefore);

    expect((await a.acme('GetTransactionStatus', { TerminalId: 'T1', ReceiptNo: 'own-1' })).fields.Result).toBe('APPROVED');
    const own = await a.api('POST', 'transactions/refund', { transactionNumber: n, isPartial: true, refundAmount: 100 });
    expect([own.status, own.json.errorCode]).toEqual([200, 0]);
    const ownMapped = await a.acme('Refund', { TerminalId: 'T1', ReceiptNo: 'a-refund-1', OriginalReceiptNo: 'own-1', Amount: '5.00' });
    expect(ownMapped.fields.Result).toBe('APPROVED');
    expect((await gw.sim.control.stats()).refunds).toBe(refundsBefore + 2);
  });

  it('a client allow-list limits its mapped operations and paths: one refusal code, a SOAP Client fault, nothing sent', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 30 }]);
    const sale = await c.acme('Sale', { TerminalId: 'T3', ReceiptNo: 'c-1', Amount: '8.00', Currency: 'USD' });
    expect(sale.fields.Result).toBe('APPROVED');
    const refundsBefore = (await gw.sim.control.stats()).refunds;
    const refund = await c.acme('Refund', { TerminalId: 'T3', ReceiptNo: 'c-1-r', OriginalReceiptNo: 'c-1' });
    expect(refund.faultCode).toBe('GW_FORBIDDEN');
    expect(refund.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(refund.text).toContain('This request is not allowed for this client');
    const init = await c.api('POST', 'transactions/init', { amount: 100, currency: 'USD', isCent: true });
    expect([init.status, init.json.code, init.json.message]).toEqual([403, 'GW_FORBIDDEN', 'This request is not allowed for this client']);
    expect((await gw.sim.control.stats()).refunds).toBe(refundsBefore);
    expect(gw.logText()).toContain('request refused by policy');
  });
});
