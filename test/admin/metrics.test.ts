// Issue 16, first acceptance point: /metrics on the admin listener moves by exactly one per Sale and per decline;
// the admin listener has its own Basic auth; the POS port does not serve /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../../src/admin/prometheus-metrics.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { waitFor } from '../e2e/helpers/e2e.js';

const USER = 'ops';
const PASSWORD = 'metrics-pass-1';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** The value of one series in Prometheus text format (0 when the series is absent). */
function sample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = (m[2] ?? '').split(/,(?=[a-zA-Z_]\w*=")/).filter((s) => s !== '');
    if (want.length === have.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

describe('/metrics on the admin listener', () => {
  let gw: TestGateway;
  let metrics: PrometheusMetrics;
  let admin: http.Server;
  let adminUrl: string;

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${adminUrl}/metrics`, { headers: { authorization: AUTH } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  beforeAll(async () => {
    metrics = createPrometheusMetrics();
    gw = await startTestGateway({ deps: { metrics }, config: { admin: { basicAuth: { user: USER, password: PASSWORD } } } });
    await gw.sim.control.setRules([
      { when: { amount: 1001 }, then: 'approve', afterMs: 100 },
      { when: { amount: 1002 }, then: 'decline', afterMs: 100 },
      { when: { amount: 1003 }, then: 'approve', afterMs: 1_500 },
      { then: 'none' },
    ]);
    admin = http.createServer(buildAdminApp(gw.config, { registry: metrics.registry }));
    await new Promise<void>((resolve) => admin.listen({ port: 0, host: '127.0.0.1' }, resolve));
    adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (admin === undefined ? resolve() : admin.close(() => resolve())));
    await gw?.close();
  });

  it('an approved Sale and a declined Sale move each counter and histogram count by exactly one', async () => {
    const before = await scrape();
    const approved = await postSoap(gw.soapUrl, 'Sale', sale('R-MET-1', '10.01'));
    expect(approved.fields.Result).toBe('APPROVED');
    const declined = await postSoap(gw.soapUrl, 'Sale', sale('R-MET-2', '10.02'));
    expect(declined.fields.Result).toBe('DECLINED');
    // The approval's commit follows its delivery: wait until the journal says COMMITTED before the second scrape.
    await waitFor(() => gw.gateway.context.journal.findByKey('anonymous', 'T7/R-MET-1'), (e) => e?.state === 'COMMITTED');
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);

    const sale_ = { endpoint: 'acme-pos', operation: 'Sale' };
    expect(moved('spgw_exchanges_total', { ...sale_, result: 'approved' })).toBe(1);
    expect(moved('spgw_exchanges_total', { ...sale_, result: 'declined' })).toBe(1);
    expect(moved('spgw_exchanges_total', { ...sale_, result: 'fault' })).toBe(0);
    expect(moved('spgw_exchange_duration_seconds_count', sale_)).toBe(2);
    // The consumer took ≥ 100 ms (simulator rule) on both: the histogram's sum moved by at least that much.
    expect(moved('spgw_exchange_duration_seconds_sum', sale_)).toBeGreaterThanOrEqual(0.2);
    expect(moved('spgw_upstream_request_duration_seconds_count', { call: 'init', result: 'ok' })).toBe(2);
    expect(moved('spgw_upstream_request_duration_seconds_count', { call: 'init', result: 'error' })).toBe(0);
    expect(moved('spgw_upstream_request_duration_seconds_count', { call: 'commit', result: 'ok' })).toBe(1);
    expect(moved('spgw_journal_write_duration_seconds_count', { operation: 'begin' })).toBe(2);
    expect(moved('spgw_journal_write_failures_total', { operation: 'advance' })).toBe(0);
    expect(moved('spgw_commits_total', { attempt: 'first', result: 'committed' })).toBe(1);
    expect(moved('spgw_commits_total', { attempt: 'first', result: 'failed' })).toBe(0);
    expect(sample(after, 'spgw_socket_reconnects_total')).toBe(0);
    // Nothing left in flight; every unfinished state is reported (as 0).
    for (const state of ['JOURNALED', 'CALLING', 'AWAITING', 'RESOLVING', 'UNKNOWN']) {
      expect(after).toContain(`spgw_exchanges_in_flight{state="${state}"} 0`);
    }
    // Process metrics come from the same registry.
    expect(after).toContain('process_cpu_user_seconds_total');
    expect(after).toContain('nodejs_eventloop_lag_seconds');
    // Bounded labels only: no receipt, transaction number or amount reaches a series.
    for (const secret of ['R-MET-1', 'R-MET-2', approved.fields.TransactionId as string, '10.01', '1001']) expect(after).not.toContain(secret);
  });

  it('a Sale waiting for its consumer shows as in flight (AWAITING) with its socket open, and leaves both when it ends', async () => {
    const pending = postSoap(gw.soapUrl, 'Sale', sale('R-MET-3', '10.03'));
    const during = await waitFor(scrape, (t) => sample(t, 'spgw_exchanges_in_flight', { state: 'AWAITING' }) === 1);
    expect(sample(during, 'spgw_exchanges_in_flight', { state: 'AWAITING' })).toBe(1);
    expect(sample(during, 'spgw_socket_connections')).toBeGreaterThanOrEqual(1);
    expect((await pending).fields.Result).toBe('APPROVED');
    const after = await waitFor(scrape, (t) => sample(t, 'spgw_socket_connections') === 0);
    expect(sample(after, 'spgw_socket_connections')).toBe(0);
    expect(sample(after, 'spgw_exchanges_in_flight', { state: 'AWAITING' })).toBe(0);
  });

  it('counts a fault by its catalogue code; the POS port does not serve /metrics', async () => {
    const before = await scrape();
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('GW_ROUTE_NOT_FOUND');
    const after = await scrape();
    expect(sample(after, 'spgw_faults_total', { code: 'GW_ROUTE_NOT_FOUND' }) - sample(before, 'spgw_faults_total', { code: 'GW_ROUTE_NOT_FOUND' })).toBe(1);
  });

  it('the admin listener refuses without credentials or with wrong ones (401, WWW-Authenticate)', async () => {
    const none = await fetch(`${adminUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    expect(await none.text()).not.toContain('spgw_');
    const wrong = await fetch(`${adminUrl}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const otherUser = await fetch(`${adminUrl}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`root:${PASSWORD}`).toString('base64')}` } });
    expect(otherUser.status).toBe(401);
    const unknownPath = await fetch(`${adminUrl}/payments`, { headers: { authorization: AUTH } });
    expect(unknownPath.status).toBe(404);
  });

  it('each gateway has its own registry: a second one in the same process starts from zero', async () => {
    const other = createPrometheusMetrics();
    const text = await other.registry.metrics();
    expect(sample(text, 'spgw_exchanges_total', { endpoint: 'acme-pos', operation: 'Sale', result: 'approved' })).toBe(0);
    expect(sample(await scrape(), 'spgw_exchanges_total', { endpoint: 'acme-pos', operation: 'Sale', result: 'approved' })).toBeGreaterThanOrEqual(1);
  });
});
