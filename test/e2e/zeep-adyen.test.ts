// Issue 13 acceptance: Python zeep loads Adyen's own Payment.wsdl from the running gateway (served unchanged), then
// authorises a payment and refunds part of it against the gateway and the simulator; an unmapped operation answers
// GW_OPERATION_NOT_MAPPED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZeep, startContractGateway } from '../contracts/contract-gateway.js';
import type { TestGateway } from '../support/gateway.js';


let gw: TestGateway;
beforeAll(async () => {
  gw = await startContractGateway('adyen-payment');
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the Adyen Payment contract', () => {
  it('authorise is Authorised with the SensePass auth code, refund refunds 2.50 of 12.50, capture is not mapped', async () => {
    const url = `${gw.url}/soap/adyen-payment`;
    const run = await runZeep('adyen-payment', 'adyen_client.py', [`${url}?wsdl`, '--merchant', 'ShopNL', '--reference', 'ORDER-Z1', '--value', '1250', '--refund-value', '250']);
    expect(run.error).toBeUndefined();
    expect(run.address).toBe(url);
    expect(run.authorise).toMatchObject({ resultCode: 'Authorised', pspReference: 'ShopNL/ORDER-Z1', refusalReason: null });
    const [tx] = await gw.sim.control.transactions();
    const sim = await gw.sim.control.transaction(tx?.TransactionNumber ?? '');
    expect((run.authorise as Record<string, unknown>).authCode).toBe(sim.entity.confirmations?.[0]?.confirmationNumber);
    expect(sim.entity.posData).toMatchObject({ merchantAccount: 'ShopNL', reference: 'ORDER-Z1' });
    expect(run.refund).toEqual({ additionalData: null, pspReference: 'refund/ShopNL/ORDER-Z1-R1', response: '[refund-received]' });
    expect(sim.entity.status).toBe(13); // partially refunded
    expect(run.capture).toMatchObject({ gwCode: 'GW_OPERATION_NOT_MAPPED' });
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });
});
