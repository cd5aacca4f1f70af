// Issue 11: fields a POS must not set. callbackURL / returnURL / cancelURL and posData.gatewayKey sent by a POS never
// reach SensePass (the simulator records the body it received); the callback URL is the configured one; timeOut is
// capped at limits.maxPaymentTimeoutSeconds for pass-through and mapped payments alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { waitFor } from '../xml/raw-http.js';
import { till, type Till } from './clients.js';

const PUBLIC_URL = 'http://127.0.0.1:9';
let gw: TestGateway;
let pos: Till;
beforeAll(async () => {
  gw = await startTestGateway({
    config: { server: { publicUrl: PUBLIC_URL }, sensepass: { callbacks: true }, limits: { maxPaymentTimeoutSeconds: 90 } },
  });
  pos = till(gw.url);
  await gw.sim.control.setRules([{ then: 'none' }]);
});
afterAll(async () => {
  await gw.close();
});

async function newest(before: number): Promise<string> {
  const list = await waitFor(() => gw.sim.control.transactions(), (l) => l.length > before);
  return list[0]?.TransactionNumber as string;
}

describe('fields a POS must not set', () => {
  it('/api init: URLs and posData.gatewayKey from the POS are dropped, the configured callback is used, timeOut 604800 → 90', async () => {
    const r = await pos.api('POST', 'transactions/init', {
      amount: 1500,
      currency: 'USD',
      isCent: true,
      timeOut: 604800,
      callbackURL: 'http://attacker.example/steal',
      returnURL: 'http://attacker.example/return',
      CancelUrl: 'http://attacker.example/cancel',
      posData: { lane: 2, gatewayKey: 'till-b/idem/victim' },
    });
    expect(r.status).toBe(200);
    const sim = await gw.sim.control.transaction(r.json.TransactionNumber as string);
    expect(sim.initBody.timeOut).toBe(90);
    expect(sim.initBody.callbackURL).toBe(`${PUBLIC_URL}/sensepass/callback`);
    expect(sim.callbackURL).toBe(`${PUBLIC_URL}/sensepass/callback`);
    expect(JSON.stringify(sim.initBody)).not.toContain('attacker.example');
    expect((sim.initBody.posData as Record<string, unknown>).lane).toBe(2);
    expect((sim.initBody.posData as Record<string, unknown>).gatewayKey).toMatch(/^anonymous\/request\//);
  });

  it('/api-xml and /api-soap init: the same', async () => {
    for (const send of [pos.xml, pos.soap]) {
      const before = (await gw.sim.control.transactions()).length;
      const r = await send(
        'transactions/init',
        '<amount>700</amount><currency>USD</currency><isCent>true</isCent><timeOut>604800</timeOut>' +
          '<callbackURL>http://attacker.example/steal</callbackURL><posData><gatewayKey>till-b/x</gatewayKey></posData>',
      );
      expect(r.status).toBe(200);
      const sim = await gw.sim.control.transaction(await newest(before));
      expect(sim.initBody.timeOut).toBe(90);
      expect(sim.initBody.callbackURL).toBe(`${PUBLIC_URL}/sensepass/callback`);
      expect((sim.initBody.posData as Record<string, unknown>).gatewayKey).toMatch(/^anonymous\/request\//);
    }
  });

  it('a mapped Sale (timeOut 100 in its mapping) is capped too', async () => {
    const before = (await gw.sim.control.transactions()).length;
    const sale = pos.acme('Sale', { TerminalId: 'T9', ReceiptNo: 'cap-1', Amount: '3.00', Currency: 'USD' });
    const n = await newest(before);
    expect((await gw.sim.control.transaction(n)).initBody.timeOut).toBe(90);
    await gw.sim.control.decline(n);
    expect((await sale).fields.Result).toBe('DECLINED');
  });
});

describe('fields a POS must not set, callbacks off (the default)', () => {
  it('a callbackURL sent by the POS never reaches SensePass: no callback URL at all', async () => {
    const plain = await startTestGateway();
    try {
      await plain.sim.control.setRules([{ then: 'none' }]);
      const r = await till(plain.url).api('POST', 'transactions/init', {
        amount: 100, currency: 'USD', isCent: true, callbackURL: 'http://attacker.example/steal',
      });
      expect(r.status).toBe(200);
      const sim = await plain.sim.control.transaction(r.json.TransactionNumber as string);
      expect(sim.callbackURL).toBeNull();
      expect(Object.keys(sim.initBody)).not.toContain('callbackURL');
      expect(sim.initBody.timeOut).toBe(300); // none sent: SensePass's 600 s default would exceed the 300 s cap
    } finally {
      await plain.close();
    }
  });
});
