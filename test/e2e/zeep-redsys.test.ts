// Issue 13 acceptance: Python zeep loads Redsys's SerClsWSEntrada WSDL from the running gateway (served unchanged),
// pays and then refunds part of the payment through the one operation trataPeticion — request and answer are XML
// documents inside string elements, the transaction type inside them picks the mapping (answers.soap.when) — against
// the gateway and the simulator. A type no mapping answers and the unmapped consultaDCC get clear faults.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const CONTRACT = path.resolve(import.meta.dirname, '../contracts/redsys-sis');
const SCRIPT = path.join(CONTRACT, 'zeep/redsys_client.py');

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ config: { paths: { wsdl: path.join(CONTRACT, 'wsdl'), mappings: path.join(CONTRACT, 'mappings') } } });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the Redsys SerClsWSEntrada contract', () => {
  it('type A pays 12.50 EUR (0000 + the SensePass auth code), type 3 refunds 2.50 (0900), type 9 and consultaDCC are refused', async () => {
    const url = `${gw.url}/soap/redsys-sis`;
    const args = [SCRIPT, `${url}?wsdl`, '--order', '000077770001', '--amount', '1250', '--refund-amount', '250'];
    const { stdout } = await promisify(execFile)('/usr/bin/python3', args, { encoding: 'utf8', timeout: 90_000 });
    const run = JSON.parse(stdout) as Record<string, Record<string, unknown> | string | undefined>;
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
