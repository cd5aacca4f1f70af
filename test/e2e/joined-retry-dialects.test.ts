// Issue 12, failure 1 in the pass-through dialects: a client that hangs up and resends the same synchronous payment
// (same Idempotency-Key) joins the running exchange, and the resend's delivery commits the approval — Terminal Agent
// JSON (/api) and the SensePass XML dialect (/api-xml) alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { send } from '../xml/raw-http.js';
import { sleep, waitFor } from './helpers/e2e.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 1_500 }]);
  await gw.sim.control.setFaults({ latencyMs: { 'POST /transactions/cancel/:n': 1_000 } });
});
afterAll(async () => {
  await gw?.close();
});

interface Dialect {
  readonly name: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
  numberIn(text: string): string | undefined;
}

const DIALECTS: readonly Dialect[] = [
  {
    name: 'Terminal Agent /api',
    url: '/api/transactions/init/sync',
    contentType: 'application/json',
    body: JSON.stringify({ amount: 100, timeOut: 500, currency: 'USD', isCent: true }),
    numberIn: (text) => (JSON.parse(text) as { TransactionNumber?: string }).TransactionNumber,
  },
  {
    name: 'SensePass XML /api-xml',
    url: '/api-xml/transactions/init/sync',
    contentType: 'text/xml; charset=utf-8',
    body: '<?xml version="1.0" encoding="utf-8"?><data><amount>100</amount><timeOut>500</timeOut><currency>USD</currency><isCent>true</isCent></data>',
    numberIn: (text) => /<TransactionNumber>([^<]+)<\/TransactionNumber>/.exec(text)?.[1],
  },
];

describe('hang up and resend with the same Idempotency-Key', () => {
  for (const [i, d] of DIALECTS.entries()) {
    it(`${d.name}: the joined resend gets the approval and its delivery commits it`, async () => {
      const headers = { 'content-type': d.contentType, 'idempotency-key': `join-${i}` };
      const started = Date.now();
      const first = new AbortController();
      const abandoned = send(`${gw.url}${d.url}`, { method: 'POST', headers, body: d.body, signal: first.signal }).catch((e: unknown) => e);
      await sleep(1_300 - (Date.now() - started));
      first.abort();
      await sleep(1_500 - (Date.now() - started));
      const resend = await send(`${gw.url}${d.url}`, { method: 'POST', headers, body: d.body });
      expect(await abandoned).toBeInstanceOf(Error);
      expect(resend.status).toBe(200);
      const n = d.numberIn(resend.text) as string;
      expect(n).toBeTruthy();
      const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed, 4_000);
      expect(tx.committed).toBe(true);
      expect(tx.entity.status).toBe(5);
      expect(tx.cancelCalls).toBeGreaterThan(0);
    });
  }
});
