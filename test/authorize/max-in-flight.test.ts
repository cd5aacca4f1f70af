// Issue 11: clients.<id>.maxInFlight. The (N+1)th concurrent payment of one identity is refused with the retryable
// GW_CLIENT_BUSY before anything is journaled or sent (SensePass sees no new payment); another identity is unaffected,
// and the first identity can pay again once one of its payments has finished.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { waitFor } from '../xml/raw-http.js';
import { till, type Till } from './clients.js';

const BASIC = { auth: ['basic'] };
let gw: TestGateway;
let a: Till;
let b: Till;
beforeAll(async () => {
  gw = await startTestGateway({
    config: {
      endpoints: { 'terminal-agent': BASIC, 'acme-pos': BASIC },
      clients: {
        'till-a': { password: 'secret-a', sensepass: { deviceId: DEMO_DEVICE_ID }, maxInFlight: 2 },
        'till-b': { password: 'secret-b', sensepass: { deviceId: DEMO_DEVICE_ID }, maxInFlight: 2 },
      },
    },
  });
  a = till(gw.url, { name: 'till-a', password: 'secret-a' });
  b = till(gw.url, { name: 'till-b', password: 'secret-b' });
});
afterAll(async () => {
  await gw.close();
});

const SYNC = { amount: 900, currency: 'USD', isCent: true, timeOut: 60 };

describe('maxInFlight per identity', () => {
  it('A third payment of A is GW_CLIENT_BUSY with nothing created; B still pays; A pays again after one ends', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const start = (await gw.sim.control.transactions()).length;
    const first = a.api('POST', 'transactions/init/sync', SYNC);
    const second = a.api('POST', 'transactions/init/sync', SYNC);
    const pending = await waitFor(() => gw.sim.control.transactions(), (l) => l.length === start + 2);

    const third = await a.api('POST', 'transactions/init/sync', SYNC);
    expect([third.status, third.json.code]).toEqual([429, 'GW_CLIENT_BUSY']);
    const mapped = await a.acme('Sale', { TerminalId: 'T1', ReceiptNo: 'busy-1', Amount: '1.00', Currency: 'USD' });
    expect(mapped.faultCode).toBe('GW_CLIENT_BUSY');
    expect(mapped.text).toContain('<faultcode>soap:Server</faultcode>'); // retryable
    expect((await gw.sim.control.transactions()).length).toBe(start + 2);

    const other = b.api('POST', 'transactions/init/sync', SYNC);
    const withB = await waitFor(() => gw.sim.control.transactions(), (l) => l.length === start + 3);
    expect(withB.length).toBe(start + 3);

    for (const tx of pending) await gw.sim.control.approve(tx.TransactionNumber);
    expect((await first).json.status).toBe(5);
    expect((await second).json.status).toBe(5);
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
    const again = await a.api('POST', 'transactions/init/sync', SYNC);
    expect(again.json.status).toBe(5);
    await gw.sim.control.approve(withB[0]?.TransactionNumber as string);
    expect((await other).json.status).toBe(5);
  });
});
