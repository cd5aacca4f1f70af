// Issue 12: 2,000 Sales approved at the same instant through the real gateway. Every reply mapping runs at once
// after the money moved; the expression guard counts each evaluation's own work, so none of them faults.
// (A wall-clock guard charged every evaluation for all the others' work: every one failed GW_MAP_EXPRESSION_FAILED.)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { leftovers, pooledAgent, postSoapHttp, waitFor } from './helpers/e2e.js';

const COUNT = 2_000;
/** Simulator time at which every payment is approved; the clock is moved there once all of them wait. */
const HOLD_MS = 60_000;

describe(`${COUNT} Sales approved at the same instant`, () => {
  let gw: TestGateway;
  let agent: http.Agent;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'spgw-burst-'));
    // One device socket: the approvals arrive as one burst of events, and the replies are rendered together.
    gw = await startTestGateway({ dataDir, config: { sensepass: { socketMode: 'device', requestTimeoutMs: 30_000 } } });
    agent = pooledAgent();
    await gw.sim.control.setRules([{ then: 'approve', afterMs: HOLD_MS }]);
  });
  afterAll(async () => {
    agent?.destroy();
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every POS is told APPROVED (no fault), one payment each, every approval committed', { timeout: 240_000 }, async () => {
    const replies = Promise.all(Array.from({ length: COUNT }, (_, i) => postSoapHttp(gw.soapUrl, 'Sale', sale(`B${i}`, '12.50'), agent)));
    const waiting = await waitFor(() => leftovers(gw).watches, (w) => w === COUNT, 180_000, 100);
    expect(waiting).toBe(COUNT); // every Sale waits before the approvals arrive
    expect((await gw.sim.control.stats()).initCalls).toBe(COUNT);
    await gw.sim.control.advanceClock(HOLD_MS); // every approval at once
    const done = await replies;
    const notApproved = done.filter((r) => r.status !== 200 || r.fields.Result !== 'APPROVED');
    expect({ count: notApproved.length, sample: notApproved.slice(0, 3).map((r) => r.faultCode ?? r.fields.Result) }).toEqual({ count: 0, sample: [] });
    expect(new Set(done.map((r) => r.fields.TransactionId)).size).toBe(COUNT);
    expect(done.every((r) => r.fields.AuthCode !== undefined && r.fields.Amount === '12.50')).toBe(true);
    const stats = await waitFor(() => gw.sim.control.stats(), (s) => s.commits === COUNT, 60_000, 100);
    expect(stats.byStatus['5']).toBe(COUNT);
    expect(stats.commits).toBe(COUNT);
  });
});
