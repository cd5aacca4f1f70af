// Attack corpus, part 2: every entry POSTed to the real gateway (buildApp with the acme-pos WSDL, its mappings, client
// authentication and the simulator behind it); asserts the gw:code in the SOAP fault, /healthz after each, bounded RSS.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { bodyOf, CORPUS, nameOf, startCanary, type Body } from './corpus-load.js';

/** Stated bound: the whole corpus (50 MB upload and two decompression bombs included) may grow RSS by at most this. */
const RSS_GROWTH_LIMIT = 128 * 1024 * 1024;

let gw: TestGateway;
let base = '';
let canary: Awaited<ReturnType<typeof startCanary>>;
let rssBefore = 0;

beforeAll(async () => {
  canary = await startCanary();
  gw = await startTestGateway({
    logLevel: 'silent',
    config: {
      clients: { 'till-7': { password: 'till-7-password' } },
      endpoints: { 'acme-pos': { auth: ['none', 'wsse', 'basic'] } },
    },
  });
  // Control messages must get a final answer at once: the simulated processor declines every payment immediately.
  await gw.sim.control.setRules([{ then: 'decline', afterMs: 0 }]);
  base = gw.url;
  rssBefore = process.memoryUsage().rss;
});
afterAll(async () => {
  await gw?.close();
  await canary?.close();
});

/** Payments the simulator has seen: a refused message must never create one. */
const upstreamPayments = async (): Promise<number> => (await gw.sim.control.stats()).transactions;

let receipts = 0;
/** Entries the gateway answers share one ReceiptNo; each gets its own so each is a new payment, not a replay. */
function freshReceipt(body: Body): Body {
  if (!Buffer.isBuffer(body) || !body.includes('R-1001')) return body;
  receipts++;
  return Buffer.from(body.toString('utf8').replaceAll('R-1001', `R-CORPUS-${receipts}`));
}

function send(path: string, method: string, headers: Record<string, string | number>, body?: Body): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', () => undefined); // EPIPE after an early refusal; the response decides
    req.on('close', () => setTimeout(() => reject(new Error('no response')), 50).unref());
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      const write = (c: Buffer) =>
        new Promise<void>((ok, fail) => {
          if (req.destroyed) return fail(new Error('destroyed'));
          if (req.write(c)) ok();
          else req.once('drain', ok);
        });
      body.chunks(write).then(() => req.end(), () => undefined);
    }
  });
}

const codeIn = (xml: string) => /<gw:code>(GW_[A-Z0-9_]+)<\/gw:code>/.exec(xml)?.[1];

describe('attack corpus end to end through the SOAP endpoint', () => {
  it.each(CORPUS.map((e) => [nameOf(e), e] as const))('%s', async (_name, entry) => {
    const raw = await bodyOf(entry, canary.hostPort);
    const body = entry.soap === 'reply' ? freshReceipt(raw) : raw;
    const headers: Record<string, string | number> = { ...entry.headers };
    if (!Buffer.isBuffer(body)) headers['content-length'] = body.length;
    const before = await upstreamPayments();
    const res = await send('/soap/acme-pos', 'POST', headers, body);
    if (entry.soap === 'reply') {
      expect(res.status).toBe(200);
      expect(codeIn(res.text)).toBeUndefined();
      expect(res.text).toMatch(/<(?:\w+:)?SaleResponse\b[\s\S]*<(?:\w+:)?Result>DECLINED</);
      expect(await upstreamPayments()).toBe(before + 1);
    } else {
      expect(res.status).toBe(500); // every SOAP fault is HTTP 500 (soap-router)
      expect(codeIn(res.text)).toBe(entry.soap);
      expect(await upstreamPayments()).toBe(before); // refused before the exchange: nothing reached SensePass
    }
    // Faults never carry file contents, parser text or stack traces.
    expect(res.text).not.toMatch(/root:x:0:0|at offset|\.ts:\d|Error:|RangeError/);
    const health = await send('/healthz', 'GET', {});
    expect(health).toEqual({ status: 200, text: '{"status":"ok"}' });
  });

  it('never connected to the canary listener', () => {
    expect(canary.connections()).toBe(0);
  });

  it(`kept RSS growth under ${RSS_GROWTH_LIMIT / 1024 / 1024} MB over the whole corpus`, () => {
    const growth = process.memoryUsage().rss - rssBefore;
    console.info(`corpus RSS growth: ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
  });
});
