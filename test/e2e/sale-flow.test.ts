// The whole path over real loopback: SOAP Sale → journal → SensePass (simulator) → await → reply → commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('SOAP Sale through the gateway', () => {
  it('approved: final reply with the auth code, committed only after delivery, a repeat replays it', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 100 }]);
    const first = await postSoap(gw.soapUrl, 'Sale', sale('R-APPROVE-1'));
    expect(first.status).toBe(200);
    expect(first.fields.Result).toBe('APPROVED');
    expect(first.fields.ResultCode).toBe('0');
    expect(first.fields.Amount).toBe('12.50');
    const tn = first.fields.TransactionId as string;
    expect(tn).toMatch(/^[0-9a-f]{56}$/);
    expect(first.fields.AuthCode).toBe((await gw.sim.control.transaction(tn)).entity.confirmations?.[0]?.confirmationNumber);
    const committed = await waitFor(() => gw.sim.control.transaction(tn), (t) => t.committed);
    expect(committed.committed).toBe(true);

    const again = await postSoap(gw.soapUrl, 'Sale', sale('R-APPROVE-1'));
    expect(again.text).toBe(first.text);
    const stats = await gw.sim.control.stats();
    expect(stats.transactions).toBe(1);
  });

  it('declined: DECLINED reply, nothing committed', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 50 }]);
    const r = await postSoap(gw.soapUrl, 'Sale', sale('R-DECLINE-1'));
    expect(r.fields.Result).toBe('DECLINED');
    expect(r.fields.ResultCode).toBe('6');
    const t = await gw.sim.control.transaction(r.fields.TransactionId as string);
    expect(t.entity.status).toBe(6);
    expect(t.committed).toBe(false);
  });
});
