// A delivered approval whose commit fails (SensePass down right then) is committed later by the sweeper, and one
// left uncommitted by a crash is committed during recovery — before the gateway reports ready. Otherwise SensePass
// would reverse a payment the POS was told is approved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/journal/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { postSoap, sale, startTestGateway } from '../support/gateway.js';

const dirs: string[] = [];
const sims: RunningSimulator[] = [];
afterAll(async () => {
  for (const s of sims) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('commit of delivered approvals', () => {
  it('a failed commit is retried by the sweeper once SensePass answers again', async () => {
    const gw = await startTestGateway({ config: { sensepass: { commitRetryMs: 200 } } });
    try {
      await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
      await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['GET /transactions/commitPayment/:n'] });
      const r = await postSoap(gw.soapUrl, 'Sale', sale('R-COMMIT-RETRY'));
      expect(r.fields.Result).toBe('APPROVED');
      const n = r.fields.TransactionId as string;
      await new Promise((res) => setTimeout(res, 600)); // the immediate commit (and its retries) failed
      expect((await gw.sim.control.transaction(n)).committed).toBe(false);
      expect(await gw.gateway.context.journal.uncommitted()).toHaveLength(1);

      await gw.sim.control.resetFaults();
      await until(async () => (await gw.sim.control.transaction(n)).committed);
      // SensePass records the commit before its answer reaches the gateway, which then writes COMMITTED: wait for it.
      await until(async () => (await gw.gateway.context.journal.uncommitted()).length === 0);
      expect(await gw.gateway.context.journal.uncommitted()).toHaveLength(0);
      expect((await gw.sim.control.transaction(n)).reversed).toBe(false);
    } finally {
      await gw.close();
    }
  });

  it('an approval delivered but not committed before a crash is committed during recovery, before ready', async () => {
    const sim = await startSimulator({ port: 0, approveAfterMs: 0 });
    sims.push(sim);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-commit-'));
    dirs.push(dataDir);
    // First life: approved and delivered, but SensePass refuses the commit, and the process goes away.
    const first = await startTestGateway({ simulator: sim, dataDir, config: { sensepass: { commitRetryMs: 3_600_000 } } });
    await sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
    await sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['GET /transactions/commitPayment/:n'] });
    const r = await postSoap(first.soapUrl, 'Sale', sale('R-COMMIT-CRASH'));
    const n = r.fields.TransactionId as string;
    await new Promise((res) => setTimeout(res, 600));
    await first.close();
    await sim.control.resetFaults();
    const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite') });
    expect((await journal.uncommitted()).map((e) => e.transactionNumber)).toEqual([n]);
    await journal.close();
    expect((await sim.control.transaction(n)).committed).toBe(false);

    // Second life: recover() commits it before reporting ready.
    const second = await startTestGateway({ simulator: sim, dataDir, config: { sensepass: { commitRetryMs: 3_600_000 } } });
    try {
      expect(second.gateway.readiness.ready).toBe(true);
      expect((await sim.control.transaction(n)).committed).toBe(true);
      expect(await second.gateway.context.journal.uncommitted()).toHaveLength(0);
    } finally {
      await second.close();
    }
  });
});
