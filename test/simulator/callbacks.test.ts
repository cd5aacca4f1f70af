// Callbacks: signed with HMAC-SHA256(secret, randomKey + rawBody), retried with back-off when the receiver fails.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_HMAC_SECRET } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { init, waitFor } from './helpers.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A loopback receiver that answers 500 to its first `failures` requests. */
async function receiver(failures = 0): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let left = failures;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = left-- > 0 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`, got, server };
}

let sim: RunningSimulator | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await sim?.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const hmac = (secret: string, data: string, enc: 'hex' | 'base64') => createHmac('sha256', secret).update(data).digest(enc);

describe('simulator callbacks', () => {
  it('POSTs the entity with a verifiable HMAC on every status change', async () => {
    sim = await startSimulator({ approveAfterMs: 0 });
    const r = await receiver();
    servers.push(r.server);
    const { TransactionNumber: n } = await init(sim, { callbackURL: r.url, posData: { order: 'A1' } });
    await sim.control.tap(n);
    await sim.control.approve(n);
    await waitFor(() => r.got.length === 2);
    for (const [i, status] of [1, 5].entries()) {
      const c = r.got[i];
      if (c === undefined) throw new Error('missing callback');
      expect(c.method).toBe('POST');
      expect(c.headers['content-type']).toContain('application/json');
      const key = String(c.headers['hmac-random-key']);
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect(c.headers['hmac-authorization']).toBe(hmac(DEMO_HMAC_SECRET, key + c.body, 'hex'));
      expect(JSON.parse(c.body)).toMatchObject({ TransactionNumber: n, status, posData: { order: 'A1' } });
    }
    expect((await sim.control.stats()).callbacksSent).toBe(2);
  });

  it('retries after a receiver that fails twice, with growing delays', async () => {
    sim = await startSimulator({ approveAfterMs: 0, callbackRetryBaseMs: 50, hmacSecret: 's3cret', hmacEncoding: 'base64' });
    const r = await receiver(2);
    servers.push(r.server);
    const { TransactionNumber: n } = await init(sim, { callbackURL: r.url });
    await sim.control.approve(n);
    await waitFor(() => r.got.length === 3);
    const [a, b, c] = r.got as [Received, Received, Received];
    expect(b.at - a.at).toBeGreaterThanOrEqual(45);
    expect(c.at - b.at).toBeGreaterThanOrEqual(95);
    expect(c.body).toBe(a.body);
    expect(c.headers['hmac-authorization']).toBe(hmac('s3cret', String(c.headers['hmac-random-key']) + c.body, 'base64'));
    expect(await sim.control.stats()).toMatchObject({ callbacksSent: 1, callbacksFailed: 2 });
  });

  it('callbacks.failNext fails attempts without sending them, then delivers', async () => {
    sim = await startSimulator({ approveAfterMs: 0, callbackRetryBaseMs: 20 });
    const r = await receiver();
    servers.push(r.server);
    await sim.control.setFaults({ callbacks: { failNext: 2 } });
    const { TransactionNumber: n } = await init(sim, { callbackURL: r.url });
    await sim.control.approve(n);
    await waitFor(async () => (await sim?.control.stats())?.callbacksSent === 1);
    expect(r.got).toHaveLength(1);
    expect(await sim.control.stats()).toMatchObject({ callbacksFailed: 2 });
  });

  it('gives up after the bounded number of attempts', async () => {
    sim = await startSimulator({ approveAfterMs: 0, callbackRetryBaseMs: 10, callbackMaxAttempts: 3 });
    const r = await receiver(100);
    servers.push(r.server);
    const { TransactionNumber: n } = await init(sim, { callbackURL: r.url });
    await sim.control.approve(n);
    await waitFor(async () => (await sim?.control.stats())?.callbacksAbandoned === 1);
    expect(r.got).toHaveLength(3);
  });

  it('GET callbacks carry the number in the query and sign the random key alone', async () => {
    sim = await startSimulator({ approveAfterMs: 0 });
    const r = await receiver();
    servers.push(r.server);
    const { TransactionNumber: n } = await init(sim, { callbackURL: r.url, callbackMethod: 'GET' });
    await sim.control.decline(n);
    await waitFor(() => r.got.length === 1);
    const c = r.got[0] as Received;
    expect(c.method).toBe('GET');
    const u = new URL(c.url, 'http://x');
    expect(u.searchParams.get('TransactionNumber')).toBe(n);
    expect(u.searchParams.get('callbackType')).toBe('transaction_status');
    expect(u.searchParams.get('x')).toBe('1');
    expect(c.body).toBe('');
    expect(c.headers['hmac-authorization']).toBe(hmac(DEMO_HMAC_SECRET, String(c.headers['hmac-random-key']), 'hex'));
  });
});
