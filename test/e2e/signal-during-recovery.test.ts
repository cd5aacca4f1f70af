// Issue 12: SIGTERM and SIGINT handlers are installed before journal recovery starts, so a stop while recovery is still
// reconciling (here: SensePass answers every status read after 20 s) ends cleanly — exit code 0, journal closed,
// the entry left unfinished for the next start — instead of Node's default "killed by signal".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/journal/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { crash, startChildGateway, type ChildGateway } from './helpers/child-gateway.js';
import { waitFor } from './helpers/e2e.js';

let sim: RunningSimulator;
let dataDir: string;
let child: ChildGateway | undefined;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-sig-'));
});
afterAll(async () => {
  if (child !== undefined && child.proc.exitCode === null && child.proc.signalCode === null) await crash(child);
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function seedUnfinished(): Promise<void> {
  const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite') });
  for (let i = 0; i < 3; i++) {
    const { exchange } = await journal.begin({
      scope: 'anonymous', key: `T7/R-SIG-${i}`, mappingId: 'acme-pos.sale', payloadHash: 'a'.repeat(64),
      deadlineAt: Date.now() - 1_000, context: { findBy: 'posData' },
    });
    await journal.advance(exchange.id, { state: 'AWAITING', transactionNumber: `9${i}000001` });
  }
  await journal.close();
}

describe('a stop during a long recovery', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while recovery waits on SensePass: exit code 0 and the entries stay unfinished for the next start`, async () => {
      await seedUnfinished().catch(() => undefined); // the second run reuses the entries of the first
      await sim.control.setFaults({ latencyMs: { 'GET /transactions/:n': 20_000 } });
      child = await startChildGateway({ sim, dataDir, expectFailure: true, env: { SPGW_LOG__LEVEL: 'info' } });
      const gw = child;
      // Listening, recovery started (its first status read is hanging), not ready.
      await waitFor(() => gw.output(), (out) => out.includes('gateway listening'), 20_000, 50);
      await waitFor(() => fetch(`${gw.url}/readyz`).then((r) => r.status).catch(() => 0), (s) => s === 503, 5_000, 50);
      const sent = Date.now();
      gw.proc.kill(signal);
      const exit = await gw.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - sent).toBeLessThan(15_000);
      expect(gw.output()).toContain('shutting down');
      await sim.control.resetFaults();

      const journal = openSqliteJournal({ file: path.join(dataDir, 'journal.sqlite') });
      try {
        expect((await journal.unfinished()).length).toBe(3);
      } finally {
        await journal.close();
      }
    }, 60_000);
  }
});
