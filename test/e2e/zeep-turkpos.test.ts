// Issue 13 acceptance: Python zeep loads the TurkPos (ParamPOS) service_turkpos_test.asmx WSDL from the running
// gateway (served unchanged, its HTTP GET port ignored), pays, refunds and reads the sale back against the gateway
// and the simulator. The Param user and password travel in every body (G): the right password makes the POS that
// client, a wrong one is GW_AUTH_FAILED and no money moves. The query's answer is a .NET DataTable (diffgram).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZeep, startContractGateway } from '../contracts/contract-gateway.js';
import type { TestGateway } from '../support/gateway.js';

const USER = 'param-10738';
const PASSWORD = 'param-Pa55-word';
const DEVICE = 'device0param10738abcdefghijklmnopqrstuvwxyz0123456';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startContractGateway('turkpos', {
    logLevel: 'debug',
    config: {
      log: { captureMessages: true },
      clients: { [USER]: { password: PASSWORD, sensepass: { deviceId: DEVICE } } },
      endpoints: { turkpos: { auth: ['none'], bodyCredentials: { user: 'G.CLIENT_USERNAME', password: 'G.CLIENT_PASSWORD' } } },
    },
  });
  await gw.sim.control.registerDevice({ deviceId: DEVICE });
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the TurkPos service_turkpos_test.asmx contract', () => {
  it('TP_Islem_Odeme pays 12,50 as the client named in G, a wrong password is refused, IADE refunds, the query answers a DataTable', async () => {
    const url = `${gw.url}/soap/turkpos`;
    const run = await runZeep('turkpos', 'turkpos_client.py', [`${url}?wsdl`, '--user', USER, '--password', PASSWORD, '--order', '20261129', '--amount', '12,50']);
    expect(run.error).toBeUndefined();
    expect(run.address).toBe(url);

    expect(run.payment).toEqual({ Islem_ID: 20261129, Sonuc: '1', Sonuc_Str: 'Islem Basarili', UCD_URL: null });
    const list = await gw.sim.control.transactions();
    expect(list).toHaveLength(1); // the wrong-password sale never reached SensePass
    expect(list[0]?.deviceId).toBe(DEVICE);
    const sim = await gw.sim.control.transaction(list[0]?.TransactionNumber ?? '');
    expect(sim.entity.posData).toMatchObject({ clientCode: '10738', sanalPosId: 1029, siparisId: '20261129', operator: USER });
    expect(sim.entity.amount).toBe('12.5');

    expect(run.wrongPassword).toMatchObject({ gwCode: 'GW_AUTH_FAILED' });

    expect(run.refund).toEqual({ Sonuc: '1', Sonuc_Str: 'Islem Basarili' });
    const after = await gw.sim.control.transaction(list[0]?.TransactionNumber ?? '');
    expect(after.entity.status).toBe(11); // refunded in full
    expect((await gw.sim.control.stats()).initCalls).toBe(1);

    expect(run.query).toEqual({
      Sonuc: '1',
      rows: [{ Siparis_ID: '20261129', Dekont_ID: '20261129', Durum: 'SUCCESS', Islem_Tip: 'IADE', Toplam_Tutar: '12,50', Toplam_Iade_Tutar: '12,50' }],
    });
    const logs = gw.logText();
    expect(logs).toContain('soap request (captured)');
    expect(logs).toContain(USER);
    expect(logs).not.toContain(PASSWORD);
  });
});
