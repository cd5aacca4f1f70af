// Terminal Agent–compatible JSON endpoints through the real gateway and simulator: the synchronous payment
// (approved, declined, aborted → cancelled), last transaction, device id, forwarded calls and the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { send, waitFor } from '../xml/raw-http.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

// Reference §10, the synchronous payment request example.
const SYNC_EXAMPLE = { amount: 100, timeOut: 500, currency: 'USD', isCent: true };

interface JsonAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<JsonAnswer> {
  const r = await send(`${gw.url}/api/${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(signal === undefined ? {} : { signal }),
  });
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  return { status: r.status, json: JSON.parse(r.text) as Record<string, unknown> };
}

describe('Terminal Agent JSON endpoints (/api)', () => {
  it('GET /api/transactions/last before any payment: 404 GW_AGENT_NO_TRANSACTION as a JSON error', async () => {
    const r = await api('GET', 'transactions/last');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ code: 'GW_AGENT_NO_TRANSACTION', message: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('sync approved: blocks until approval, returns the entity, commits after delivery; the same key replays it', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 100 }]);
    const first = await api('POST', 'transactions/init/sync', SYNC_EXAMPLE, { 'idempotency-key': 'agent-sync-1' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: 5, statusName: 'Transaction Approved', amount: '1', currency: 'USD' });
    const tn = first.json.TransactionNumber as string;
    expect((await waitFor(() => gw.sim.control.transaction(tn), (t) => t.committed)).committed).toBe(true);
    const calls = (await gw.sim.control.stats()).initCalls;
    const again = await api('POST', 'transactions/init/sync', SYNC_EXAMPLE, { 'idempotency-key': 'agent-sync-1' });
    expect(again).toEqual(first);
    expect((await gw.sim.control.stats()).initCalls).toBe(calls);
    const conflict = await api('POST', 'transactions/init/sync', { ...SYNC_EXAMPLE, amount: 200 }, { 'idempotency-key': 'agent-sync-1' });
    expect(conflict.status).toBe(409);
    expect(conflict.json.code).toBe('GW_IDEMPOTENCY_CONFLICT');
  });

  it('sync declined: the declined entity, nothing committed', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 50 }]);
    const r = await api('POST', 'transactions/init/sync', SYNC_EXAMPLE);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe(6);
    expect((await gw.sim.control.transaction(r.json.TransactionNumber as string)).committed).toBe(false);
  });

  it('a client that aborts the sync request gets its payment cancelled; /transactions/last shows it', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const before = (await gw.sim.control.transactions()).length;
    const abort = new AbortController();
    const pending = api('POST', 'transactions/init/sync', { ...SYNC_EXAMPLE, amount: 4242 }, {}, abort.signal).catch((e: unknown) => e);
    const list = await waitFor(() => gw.sim.control.transactions(), (l) => l.length > before);
    const tn = list[0]?.TransactionNumber as string;
    expect((await gw.sim.control.transaction(tn)).initBody.amount).toBe(4242);
    await new Promise((r) => setTimeout(r, 100)); // the gateway is waiting on the payment now
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    const cancelled = await waitFor(() => gw.sim.control.transaction(tn), (t) => t.entity.status === 9);
    expect(cancelled.entity.status).toBe(9);
    expect(cancelled.cancelCalls).toBeGreaterThanOrEqual(1);
    expect(cancelled.committed).toBe(false);

    const last = await api('GET', 'transactions/last');
    expect(last.status).toBe(200);
    expect(last.json).toMatchObject({ TransactionNumber: tn, status: 9 });
  });

  it('GET /api/devices answers an opaque handle (the deviceId is a credential) that cancelByDeviceId accepts', async () => {
    const dev = await api('GET', 'devices');
    expect(dev.status).toBe(200);
    const handle = dev.json.deviceId as string;
    expect(handle).toMatch(/^gw-[0-9a-f]{40}$/);
    expect(JSON.stringify(dev.json)).not.toContain(DEMO_DEVICE_ID);

    await gw.sim.control.setRules([{ then: 'none' }]);
    const created = await api('POST', 'transactions/init', { amount: 700, isCent: true, currency: 'USD', deviceId: 'client-sent-id' });
    expect(created.status).toBe(200);
    expect(created.json.status).toBe(0);
    const tn = created.json.TransactionNumber as string;
    const cancel = await api('POST', `transactions/cancelByDeviceId/${handle}`);
    expect(cancel.status).toBe(200);
    expect((await waitFor(() => gw.sim.control.transaction(tn), (t) => t.entity.status === 9)).entity.status).toBe(9);
  });

  it('other /api calls are forwarded with the configured credentials: GET transactions/{n}', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
    const created = await api('POST', 'transactions/init', { amount: 900, isCent: true, currency: 'USD' });
    const tn = created.json.TransactionNumber as string;
    await waitFor(() => gw.sim.control.transaction(tn), (t) => t.entity.status === 5);
    const read = await api('GET', `transactions/${tn}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ TransactionNumber: tn, status: 5, amount: '9' });
  });

  it('JSON errors carry code, message and requestId: malformed JSON, a prototype key, an unknown route upstream', async () => {
    const bad = await api('POST', 'transactions/init', '{"amount": 1,');
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('GW_INGRESS_MALFORMED_JSON');
    const proto = await api('POST', 'transactions/init', '{"amount": 1, "__proto__": {"isAdmin": true}}');
    expect(proto.status).toBe(400);
    expect(proto.json.code).toBe('GW_INGRESS_FORBIDDEN_NAME');
    const missing = await api('GET', 'transactions/0000000000000000000000000000000000000000000000000000dead');
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(missing.json).sort()).toEqual(['code', 'message', 'requestId']);
  });
});
