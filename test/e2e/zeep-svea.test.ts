// Issue 13 acceptance: Python zeep loads Svea WebPay's SveaWebPay.asmx WSDL from the running gateway (served
// unchanged), creates an invoice order and cancels it against the gateway and the simulator. The Svea user and
// password travel in every request body (request/Auth): the right password makes the POS that client (its SensePass
// device pays), a wrong one is GW_AUTH_FAILED and no money moves; the password never reaches a log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZeep, startContractGateway } from '../contracts/contract-gateway.js';
import type { TestGateway } from '../support/gateway.js';

const USER = 'webpay-79021';
const PASSWORD = 'svea-Pa55-word';
const DEVICE = 'device0svea79021abcdefghijklmnopqrstuvwxyz01234567';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startContractGateway('svea-webpay', {
    logLevel: 'debug',
    config: {
      log: { captureMessages: true },
      clients: { [USER]: { password: PASSWORD, sensepass: { deviceId: DEVICE } } },
      endpoints: { 'svea-webpay': { auth: ['none'], bodyCredentials: { user: 'request.Auth.Username', password: 'request.Auth.Password' } } },
    },
  });
  await gw.sim.control.registerDevice({ deviceId: DEVICE });
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the Svea WebPay SveaWebPay.asmx contract', () => {
  it('CreateOrderEu pays 25.50 EUR as the client named in the body, a wrong password is refused, CloseOrderEu cancels it', async () => {
    const url = `${gw.url}/soap/svea-webpay`;
    const run = await runZeep('svea-webpay', 'svea_client.py', [`${url}?wsdl`, '--user', USER, '--password', PASSWORD, '--order', '4711']);
    expect(run.error).toBeUndefined();
    expect(run.address).toBe(url);

    expect(run.payment).toMatchObject({ Accepted: true, ResultCode: 0 });
    expect((run.payment as Record<string, unknown>).CreateOrderResult).toMatchObject({
      SveaOrderId: 4711, OrderType: 'Invoice', Amount: '25.50', ClientOrderNumber: '4711', ExpirationDate: null,
    });
    // One payment only: the wrong-password order never reached SensePass.
    const list = await gw.sim.control.transactions();
    expect(list).toHaveLength(1);
    expect(list[0]?.deviceId).toBe(DEVICE);
    const sim = await gw.sim.control.transaction(list[0]?.TransactionNumber ?? '');
    expect(sim.entity.posData).toMatchObject({ sveaClientNumber: '79021', clientOrderNumber: '4711', operator: USER });
    expect(sim.entity.currency).toBe('EUR');
    expect(sim.entity.amount).toBe('25.5');

    expect(run.wrongPassword).toMatchObject({ gwCode: 'GW_AUTH_FAILED' });

    expect(run.close).toMatchObject({ Accepted: true, ResultCode: 0 });
    const after = await gw.sim.control.transaction(list[0]?.TransactionNumber ?? '');
    expect(after.entity.status).toBe(11); // refunded in full
    expect((await gw.sim.control.stats()).initCalls).toBe(1);

    expect(run.ping).toMatchObject({ gwCode: 'GW_OPERATION_NOT_MAPPED' });
    const logs = gw.logText();
    expect(logs).toContain('soap request (captured)');
    expect(logs).toContain(USER);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(`not-${PASSWORD}`);
  });
});
