// limits.maxConcurrentExchanges bounds what one gateway holds: beyond it a request is refused with GW_SERVER_BUSY
// before anything is journaled or sent, so the POS can simply retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ config: { limits: { maxConcurrentExchanges: 2 } } });
});
afterAll(async () => {
  await gw.close();
});

describe('limits.maxConcurrentExchanges', () => {
  it('refuses the third concurrent payment with GW_SERVER_BUSY, starts nothing for it, and takes it once there is room', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const first = postSoap(gw.soapUrl, 'Sale', sale('R-BUSY-1'));
    const second = postSoap(gw.soapUrl, 'Sale', sale('R-BUSY-2'));
    for (let i = 0; i < 200 && (await gw.sim.control.stats()).initCalls < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const third = await postSoap(gw.soapUrl, 'Sale', sale('R-BUSY-3'));
    expect(third.status).toBe(500);
    expect(third.faultCode).toBe('GW_SERVER_BUSY');
    expect((await gw.sim.control.stats()).initCalls).toBe(2);
    expect(await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-BUSY-1')).toBeDefined(); // the key format
    expect(await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-BUSY-3')).toBeUndefined();

    for (const t of await gw.sim.control.transactions()) await gw.sim.control.approve(t.TransactionNumber);
    expect((await first).fields.Result).toBe('APPROVED');
    expect((await second).fields.Result).toBe('APPROVED');
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 10 }]);
    for (let i = 0; i < 200 && gw.gateway.context.exchange.active() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await postSoap(gw.soapUrl, 'Sale', sale('R-BUSY-3'))).fields.Result).toBe('APPROVED');
  });
});
