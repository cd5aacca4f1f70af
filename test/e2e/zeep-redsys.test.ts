// Issue 13 acceptance: Python zeep loads Redsys's SerClsWSEntrada WSDL from the running gateway (served unchanged),
// pays and then refunds part of the payment through the one operation trataPeticion — request and answer are XML
// documents inside string elements, the transaction type inside them picks the mapping (answers.soap.when) — against
// the gateway and the simulator. A type no mapping answers and the unmapped consultaDCC get clear faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZeep, startContractGateway } from '../contracts/contract-gateway.js';
import type { TestGateway } from '../support/gateway.js';


let gw: TestGateway;
beforeAll(async () => {
  gw = await startContractGateway('redsys-sis');
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the Redsys SerClsWSEntrada contract', () => {
  it('type A pays 12.50 EUR (0000 + the SensePass auth code), type 3 refunds 2.50 (0900), type 9 and consultaDCC are refused', async () => {
    const url = `${gw.url}/soap/redsys-sis`;
    const run = await runZeep('redsys-sis', 'redsys_client.py', [`${url}?wsdl`, '--order', '000077770001', '--amount', '1250', '--refund-amount', '250']);
    expect(run.error).toBeUndefined();
    expect(run.address).toBe(url);

    const [tx] = await gw.sim.control.transactions();
    const sim = await gw.sim.control.transaction(tx?.TransactionNumber ?? '');
    expect(run.payment).toEqual({
      root: 'RETORNOXML', CODIGO: '0', Ds_Amount: '1250', Ds_Currency: '978', Ds_Order: '000077770001', Ds_MerchantCode: '999008881',
      Ds_Terminal: '1', Ds_Response: '0000', Ds_AuthorisationCode: sim.entity.confirmations?.[0]?.confirmationNumber, Ds_TransactionType: 'A',
    });
    expect(sim.entity.posData).toMatchObject({ merchantCode: '999008881', terminal: '1', order: '000077770001' });
    expect(sim.entity.currency).toBe('EUR');
    expect(Number(sim.entity.amount)).toBe(12.5);

    expect(run.refund).toMatchObject({ root: 'RETORNOXML', CODIGO: '0', Ds_Amount: '250', Ds_Order: '000077770001', Ds_Response: '0900', Ds_TransactionType: '3' });
    expect((run.refund as Record<string, unknown>).Ds_AuthorisationCode).toMatch(/\S/);
    const after = await gw.sim.control.transaction(tx?.TransactionNumber ?? '');
    expect(after.entity.status).toBe(13); // partially refunded

    expect(run.otherType).toMatchObject({ gwCode: 'GW_MAP_REJECTED' });
    expect(run.consultaDCC).toMatchObject({ gwCode: 'GW_OPERATION_NOT_MAPPED' });
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });
});
