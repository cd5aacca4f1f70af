// Attack corpus, part 2: every entry POSTed to a running app (the real SOAP router for wsdl/acme-pos, with
// client authentication wired in); asserts the gw:code in the SOAP fault, /healthz after each, bounded RSS.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { authenticate, createAuthDeps, WSSE_SECURITY_KEY } from '../../src/ingress/auth/index.js';
import { loadSoapService } from '../../src/ingress/wsdl-service.js';
import { createLogger } from '../../src/log.js';
import type { MessageHandler } from '../../src/route/message.js';
import { createSoapRouter } from '../../src/route/soap-router.js';
import { bodyOf, CORPUS, nameOf, startCanary, type Body } from './corpus-load.js';

/** Stated bound: the whole corpus (50 MB upload and two decompression bombs included) may grow RSS by at most this. */
const RSS_GROWTH_LIMIT = 128 * 1024 * 1024;

const config = loadConfig({
  env: {},
  values: {
    clients: { 'till-7': { password: 'till-7-password' } },
    endpoints: { 'acme-pos': { auth: ['none', 'wsse', 'basic'] } },
  },
});
const handled: string[] = [];
const handler: MessageHandler = async (m) => {
  handled.push(m.operation);
  return { kind: 'reply', value: { Result: 'DECLINED', ResultCode: 1, Message: 'corpus control' } };
};

let server: Server;
let base = '';
let canary: Awaited<ReturnType<typeof startCanary>>;
let rssBefore = 0;

beforeAll(async () => {
  canary = await startCanary();
  const service = await loadSoapService(fileURLToPath(new URL('../../wsdl/acme-pos/', import.meta.url)));
  const deps = createAuthDeps(config);
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    createSoapRouter({
      endpoint: 'acme-pos',
      service,
      handler,
      limits: config.limits,
      logger: createLogger({ level: 'silent' }),
      authenticate: (req, soapHeaders) => authenticate({ headers: req.headers, socket: req.socket, soapHeaders }, 'acme-pos', config, deps),
      understoodHeaders: new Set([WSSE_SECURITY_KEY]),
    }),
  );
  server = createServer(app);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rssBefore = process.memoryUsage().rss;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await canary.close();
});

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
    const body = await bodyOf(entry, canary.hostPort);
    const headers: Record<string, string | number> = { ...entry.headers };
    if (!Buffer.isBuffer(body)) headers['content-length'] = body.length;
    const before = handled.length;
    const res = await send('/soap/acme-pos', 'POST', headers, body);
    if (entry.soap === 'reply') {
      expect(res.status).toBe(200);
      expect(codeIn(res.text)).toBeUndefined();
      expect(handled.length).toBe(before + 1);
    } else {
      expect(res.status).toBe(500); // every SOAP fault is HTTP 500 (soap-router)
      expect(codeIn(res.text)).toBe(entry.soap);
      expect(handled.length).toBe(before); // refused before the exchange
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
