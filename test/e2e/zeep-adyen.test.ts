// Issue 13 acceptance: Python zeep loads Adyen's own Payment.wsdl from the running gateway (served unchanged), then
// authorises a payment and refunds part of it against the gateway and the simulator; an unmapped operation answers
// GW_OPERATION_NOT_MAPPED.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const CONTRACT = path.resolve(import.meta.dirname, '../contracts/adyen-payment');
const SCRIPT = path.join(CONTRACT, 'zeep/adyen_client.py');

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ config: { paths: { wsdl: path.join(CONTRACT, 'wsdl'), mappings: path.join(CONTRACT, 'mappings') } } });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the Adyen Payment contract', () => {
  it('authorise is Authorised with the SensePass auth code, refund refunds 2.50 of 12.50, capture is not mapped', async () => {
    const url = `${gw.url}/soap/adyen-payment`;
    const args = [SCRIPT, `${url}?wsdl`, '--merchant', 'ShopNL', '--reference', 'ORDER-Z1', '--value', '1250', '--refund-value', '250'];
    const { stdout } = await promisify(execFile)('/usr/bin/python3', args, { encoding: 'utf8', timeout: 90_000 });
    const run = JSON.parse(stdout) as Record<string, Record<string, unknown> | string | undefined>;
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
