// Cancel through the real gateway: a pending sale is cancelled; an ended one is not sent upstream; a sale the
// customer is paying gets SensePass's "too late" (501) as TOO_LATE — never a 500 "SensePass unavailable".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeEnvelope, postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const cancel = (receipt: string) => acmeEnvelope('Cancel', { TerminalId: 'T7', ReceiptNo: receipt });

async function pendingPayment(): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const hit = (await gw.sim.control.transactions()).find((t) => t.status === 0);
    if (hit !== undefined) return hit.TransactionNumber;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no pending payment');
}

describe('Cancel', () => {
  it('a declined sale: CANCELLED (nothing charged) without calling SensePass', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 20 }]);
    const s = await postSoap(gw.soapUrl, 'Sale', sale('R-C1'));
    expect(s.fields.Result).toBe('DECLINED');
    const before = (await gw.sim.control.transaction(s.fields.TransactionId as string)).cancelCalls;
    const c = await postSoap(gw.soapUrl, 'Cancel', cancel('R-C1'));
    expect(c.status).toBe(200);
    expect(c.fields).toMatchObject({ Result: 'CANCELLED', ResultCode: '9' });
    expect((await gw.sim.control.transaction(s.fields.TransactionId as string)).cancelCalls).toBe(before);
  });

  it('a pending sale: cancelled at SensePass, and the waiting Sale is answered CANCELLED', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const waiting = postSoap(gw.soapUrl, 'Sale', sale('R-C2'));
    const n = await pendingPayment();
    const c = await postSoap(gw.soapUrl, 'Cancel', cancel('R-C2'));
    expect(c.fields).toMatchObject({ Result: 'CANCELLED', ResultCode: '9' });
    expect((await waiting).fields.Result).toBe('CANCELLED');
    expect((await gw.sim.control.transaction(n)).entity.status).toBe(9);
  });

  it('the customer is paying (status 4): TOO_LATE, and the sale goes on to its real outcome', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const waiting = postSoap(gw.soapUrl, 'Sale', sale('R-C3'));
    const n = await pendingPayment();
    await gw.sim.control.processing(n);
    const c = await postSoap(gw.soapUrl, 'Cancel', cancel('R-C3'));
    expect(c.status).toBe(200);
    expect(c.fields).toMatchObject({ Result: 'TOO_LATE', ResultCode: '92' });
    await gw.sim.control.approve(n);
    expect((await waiting).fields.Result).toBe('APPROVED');
  });
});
