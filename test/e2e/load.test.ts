// Issue 4 at volume: 1,000 concurrent Sales over loopback get the right outcome each, and afterwards the gateway
// holds nothing for them (no sockets, watches, timers, in-flight entries, active exchanges or reconciler jobs).
// The journal lives on tmpfs when there is one: this test is about outcomes and leaks, and ~6 fsyncs per payment on a
// shared CI disk would only measure the disk (the journal's durability settings are unchanged).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { leftovers, NOTHING_LEFT, pooledAgent, postSoapHttp, waitFor } from './helpers/e2e.js';

const COUNT = 1_000;
/** Amount (as sent) → what the consumer does and what the POS must hear. */
const MIX = [
  { amount: '21.01', cents: 2101, then: 'approve', result: 'APPROVED', status: 5 },
  { amount: '21.02', cents: 2102, then: 'decline', result: 'DECLINED', status: 6 },
  { amount: '21.03', cents: 2103, then: 'fail', result: 'FAILED', status: 7 },
  { amount: '21.04', cents: 2104, then: 'expire', result: 'TIMED_OUT', status: 8 },
] as const;

describe.each(['transaction', 'device'] as const)('1,000 concurrent Sales (socketMode %s)', (socketMode) => {
  let gw: TestGateway;
  let agent: http.Agent;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'spgw-load-'));
    gw = await startTestGateway({ dataDir, config: { sensepass: { socketMode, socketIdleMs: 200 } } });
    agent = pooledAgent();
    await gw.sim.control.setRules(MIX.map((m, i) => ({ when: { amount: m.cents }, then: m.then, afterMs: 200 + i * 150 })));
  });
  afterAll(async () => {
    agent?.destroy();
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every Sale gets its own right outcome, one SensePass payment each, and nothing is left behind', async () => {
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: COUNT }, (_, i) => {
        const m = MIX[i % MIX.length] as (typeof MIX)[number];
        return postSoapHttp(gw.soapUrl, 'Sale', sale(`${socketMode}-L${i}`, m.amount), agent).then((r) => ({ r, m }));
      }),
    );
    const elapsed = Date.now() - started;
    const wrong = replies.filter(({ r, m }) => r.status !== 200 || r.fields.Result !== m.result);
    expect(wrong.map(({ r }) => r.faultCode ?? r.fields.Result).slice(0, 5)).toEqual([]);
    expect(new Set(replies.map(({ r }) => r.fields.TransactionId)).size).toBe(COUNT);
    expect(elapsed).toBeLessThan(30_000);

    const stats = await gw.sim.control.stats();
    expect(stats.initCalls).toBe(COUNT);
    expect(stats.byStatus).toMatchObject({ '5': COUNT / 4, '6': COUNT / 4, '7': COUNT / 4, '8': COUNT / 4 });
    // Every approval was delivered, so every one is committed (asynchronously, right after the reply was written).
    expect((await waitFor(() => gw.sim.control.stats(), (s) => s.commits === COUNT / 4, 10_000)).commits).toBe(COUNT / 4);

    const left = await waitFor(() => leftovers(gw), (l) => Object.values(l).every((v) => v === 0), 5_000);
    expect(left).toEqual(NOTHING_LEFT);
    expect((await waitFor(() => gw.sim.control.stats(), (s) => s.sockets === 0, 5_000)).sockets).toBe(0);
  });
});
