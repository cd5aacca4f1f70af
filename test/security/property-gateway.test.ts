// Property-based, end to end: 10,000+ random and mutated Acme messages through the REAL gateway (buildApp: parse →
// authenticate → route → map → SensePass simulator → reply), over in-memory keep-alive connections into the real
// http.Server, plus 500 over loopback TCP. Every answer must be a well-formed SOAP reply or a SOAP fault with a
// catalogue code and the catalogue text; nothing may crash, hang or leave an unhandled rejection.
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, type ErrorCode } from '../../src/errors.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement } from '../../src/ingress/xml-tree.js';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { openMemoryConnection, type MemoryConnection } from './memory-connection.js';
import { gatewayCase, OPERATIONS, type GatewayCase } from './message-arbitraries.js';

const RUNS = 10_000;
const TCP_RUNS = 500;
const CONCURRENCY = 8;
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const CLIENT = { user: 'till7', password: 'prop-pass-7' };
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const RESULTS = new Set(['APPROVED', 'DECLINED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN', 'NOT_FOUND', 'TOO_LATE']);
const RESPONSES = new Set(OPERATIONS.map((o) => `${o}Response`));
const LIMITS = { maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 1_000_000 };

let gw: TestGateway;
const fired: string[] = [];
const onRejection = (reason: unknown) => void fired.push(`unhandledRejection: ${String(reason)}`);
const onException = (err: unknown) => void fired.push(`uncaughtException: ${String(err)}`);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  gw = await startTestGateway({
    logLevel: 'silent',
    config: {
      endpoints: { 'acme-pos': { auth: ['none', 'wsse', 'basic'] } },
      clients: { [CLIENT.user]: { password: CLIENT.password, sensepass: { deviceId: DEMO_DEVICE_ID } } },
      // Wrong passwords are part of the input: without these the whole run would be rate limited after ten.
      auth: { maxFailuresPerMinute: 0, maxFailuresPerUserPerMinute: 0 },
    },
  });
  // Every payment gets its final status at once, so the property measures the gateway and not the consumer.
  await gw.sim.control.setRules([
    { when: { amountLte: 250_000 }, then: 'approve', afterMs: 0 },
    { then: 'decline', afterMs: 0 },
  ]);
});
afterAll(async () => {
  await gw?.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

type Verdict = { readonly kind: 'reply'; readonly result: string } | { readonly kind: 'fault'; readonly code: ErrorCode };

/** Checks one answer; throws with the reason when it is not a well-formed SOAP reply or catalogue fault. */
function judge(status: number, contentType: string, text: string): Verdict {
  const envelope = parseXml(text, LIMITS);
  if (envelope.local !== 'Envelope' || (envelope.ns !== S11 && envelope.ns !== S12)) throw new Error('not a SOAP envelope');
  const version = envelope.ns === S11 ? '1.1' : '1.2';
  if (!contentType.startsWith(version === '1.1' ? 'text/xml' : 'application/soap+xml')) throw new Error(`content type ${contentType} for SOAP ${version}`);
  const bodies = envelope.children.filter((c) => c.local === 'Body' && c.ns === envelope.ns);
  if (bodies.length !== 1 || bodies[0]?.children.length !== 1) throw new Error('not exactly one Body with one child');
  const payload = bodies[0].children[0] as XmlElement;
  if (payload.local === 'Fault' && payload.ns === envelope.ns) {
    if (status !== 500) throw new Error(`fault with HTTP ${status}`);
    const code = find(payload, 'code')?.text as ErrorCode | undefined;
    if (code === undefined || !Object.hasOwn(catalogue, code)) throw new Error(`fault code ${String(code)} not in the catalogue`);
    const reason = version === '1.1' ? find(payload, 'faultstring')?.text : find(payload, 'Text')?.text;
    if (reason === undefined || !templateOf(code).test(reason)) throw new Error(`fault text is not the catalogue text: ${String(reason)}`);
    if (/\.[jt]s:\d|\bat \S+ \(|Error:|TypeError|undefined|\[object/.test(reason)) throw new Error(`fault text shows internals: ${reason}`);
    return { kind: 'fault', code };
  }
  if (status !== 200) throw new Error(`reply with HTTP ${status}`);
  if (!RESPONSES.has(payload.local)) throw new Error(`unexpected reply element ${payload.local}`);
  const result = find(payload, 'Result')?.text ?? '';
  if (!RESULTS.has(result)) throw new Error(`Result ${result}`);
  if (!/^-?\d+$/.test(find(payload, 'ResultCode')?.text ?? '')) throw new Error('ResultCode is not an int');
  return { kind: 'reply', result };
}

const templates = new Map<string, RegExp>();
/** The catalogue message as a pattern: `{param}` placeholders match any text, the rest literally. */
function templateOf(code: ErrorCode): RegExp {
  let re = templates.get(code);
  if (re === undefined) {
    const parts = catalogue[code].message.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`^${parts.join('[\\s\\S]*')}$`);
    templates.set(code, re);
  }
  return re;
}

function find(root: XmlElement, local: string): XmlElement | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.local === local) return el;
    stack.push(...el.children);
  }
  return undefined;
}

interface Transport {
  send(c: GatewayCase): Promise<{ status: number; contentType: string; text: string }>;
  close(): void;
}

/** Eight in-memory connections into gw.server; a connection the server closed is replaced. */
function memoryTransport(): Transport {
  const pool: MemoryConnection[] = [];
  return {
    async send(c) {
      let conn = pool.pop();
      if (conn === undefined || conn.closed) conn = openMemoryConnection(gw.server);
      try {
        const r = await conn.request('POST', '/soap/acme-pos', c.headers, c.body);
        return { status: r.status, contentType: r.headers['content-type'] ?? '', text: r.body.toString('utf8') };
      } finally {
        if (!conn.closed) pool.push(conn);
      }
    },
    close: () => pool.forEach((c) => c.close()),
  };
}

/** Real loopback TCP with a keep-alive agent. */
function tcpTransport(): Transport {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  return {
    send: (c) =>
      new Promise((resolve, reject) => {
        const req = http.request(gw.soapUrl, { method: 'POST', agent, headers: { ...c.headers, 'content-length': c.body.length }, timeout: 15_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
        req.on('error', reject);
        req.end(c.body);
      }),
    close: () => agent.destroy(),
  };
}

interface RunReport {
  readonly outcomes: Map<string, number>;
  readonly failures: string[];
  readonly replies: number;
  readonly seconds: number;
}

async function run(transport: Transport, runs: number, seed: number): Promise<RunReport> {
  const started = Date.now();
  const cases = fc.sample(gatewayCase(CLIENT), { numRuns: runs, seed });
  const outcomes = new Map<string, number>();
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i] as GatewayCase;
      try {
        const r = await transport.send(c);
        const v = judge(r.status, r.contentType, r.text);
        const key = v.kind === 'reply' ? `${c.mutated ? 'mutated' : 'clean'} ${v.result}` : v.code;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      } catch (err) {
        failures.push(`case ${i} (${c.operation}, SOAP ${c.version}): ${(err as Error).message}\n${c.body.toString('latin1').slice(0, 600)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    transport.close();
  }
  const replies = [...outcomes].filter(([k]) => /^(clean|mutated) /.test(k)).reduce((n, [, v]) => n + v, 0);
  const seconds = (Date.now() - started) / 1000;
  const sorted = JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])));
  console.info(`seed ${seed}: ${runs} messages in ${seconds.toFixed(1)} s, ${replies} replies; outcomes ${sorted}`);
  return { outcomes, failures, replies, seconds };
}

describe('property: the real gateway under random and mutated messages', () => {
  it(`${RUNS.toLocaleString('en')} messages over in-memory connections: a well-formed SOAP reply or catalogue fault each, no crash`, async () => {
    const paymentsBefore = (await gw.sim.control.stats()).transactions;
    const r = await run(memoryTransport(), RUNS, SEED);
    const payments = (await gw.sim.control.stats()).transactions - paymentsBefore;
    console.info(`SensePass payments created: ${payments}`);
    expect(r.failures.slice(0, 3)).toEqual([]);
    expect([...r.outcomes.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    expect(fired).toEqual([]);
    expect(r.outcomes.get('GW_SERVER_INTERNAL') ?? 0).toBe(0);
    // The run must really cross every stage: many replies from the mapping, many payments upstream, many refusals.
    expect(r.replies).toBeGreaterThan(800);
    expect(payments).toBeGreaterThan(200);
    expect([...r.outcomes.keys()].filter((k) => k.startsWith('GW_INGRESS_')).length).toBeGreaterThan(4);
    expect([...r.outcomes.keys()].some((k) => k.startsWith('GW_AUTH_'))).toBe(true);
    expect([...r.outcomes.keys()].some((k) => k.startsWith('GW_SCHEMA_'))).toBe(true);
    expect([...r.outcomes.keys()].some((k) => k.startsWith('GW_MAP_'))).toBe(true);
  }, 120_000);

  it(`${TCP_RUNS.toLocaleString('en')} more over loopback TCP with a keep-alive agent`, async () => {
    const r = await run(tcpTransport(), TCP_RUNS, SEED + 1);
    expect(r.failures.slice(0, 3)).toEqual([]);
    expect([...r.outcomes.values()].reduce((a, b) => a + b, 0)).toBe(TCP_RUNS);
    expect(r.outcomes.get('GW_SERVER_INTERNAL') ?? 0).toBe(0);
    expect(r.replies).toBeGreaterThan(20);
    expect(fired).toEqual([]);
  }, 60_000);

  it('the gateway is still healthy and ready afterwards', async () => {
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    expect(fired).toEqual([]);
  });
});
