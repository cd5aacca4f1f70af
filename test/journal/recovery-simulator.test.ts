// Recovery over real loopback: the SensePass simulator, the real SensePass client, a real journal file reopened as
// after a crash. Each scenario leaves the journal the way a process killed at that moment would.
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSensePassClient } from '../../src/exchange/call/sensepass-client.js';
import type { PaymentApi } from '../../src/exchange/call/payment-api.js';
import { gatewayKeyOf, GATEWAY_KEY_FIELD } from '../../src/journal/find-lost-payment.js';
import { reconcileUnfinished, type RecoveryDeps } from '../../src/journal/recovery.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { DEMO_CREDENTIALS } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, input, open, tempDir } from './temp-journal.js';

const tmp = tempDir();
const file = path.join(tmp.dir, 'data', 'journal.sqlite');
let sim: RunningSimulator;
let api: PaymentApi;
let journal: SqliteJournal;
let deps: RecoveryDeps;
const logs = captureLogger();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 0 });
  api = createSensePassClient({ restBaseUrl: sim.restBaseUrl, requestTimeoutMs: 5_000, logger: logs.logger });
  deps = { api, credentialsFor: (scope) => (scope === 'pos-1' ? DEMO_CREDENTIALS : undefined), now: Date.now, logger: logs.logger };
});
afterAll(async () => {
  await journal?.close();
  await sim.close();
  tmp.cleanup();
});
beforeEach(() => {
  journal = open(file);
});

/** What the exchange runner does up to the upstream call; `keepAnswer: false` models a crash before the answer was journaled. */
async function startPayment(key: string, options: { deadlineInMs: number; keepAnswer: boolean }) {
  const { exchange } = await journal.begin(input({ key, deadlineAt: Date.now() + options.deadlineInMs }));
  await journal.advance(exchange.id, { state: 'CALLING' });
  const tx = await api.init(
    { amount: 1250, isCent: true, currency: 'USD', timeOut: 100, posData: { receipt: key, [GATEWAY_KEY_FIELD]: gatewayKeyOf('pos-1', key) } },
    DEMO_CREDENTIALS,
  );
  if (options.keepAnswer) await journal.advance(exchange.id, { state: 'AWAITING', transactionNumber: tx.TransactionNumber });
  return { id: exchange.id, transactionNumber: tx.TransactionNumber };
}

/** The crash: the process dies without any further journal write; a new process opens the same file. */
async function restart(): Promise<void> {
  await journal.close();
  journal = open(file);
}

describe('reconcileUnfinished against the simulator', () => {
  it('settles every crash point correctly, never commits, and a second run changes nothing settled', async () => {
    const approved = await startPayment('approved-after-crash', { deadlineInMs: 60_000, keepAnswer: true });
    const lost = await startPayment('init-answer-lost', { deadlineInMs: 60_000, keepAnswer: false });
    const { exchange: neverSent } = await journal.begin(input({ key: 'never-sent', deadlineAt: Date.now() + 60_000 }));
    await journal.advance(neverSent.id, { state: 'CALLING' });
    const overdue = await startPayment('past-deadline', { deadlineInMs: -1, keepAnswer: true });
    const waiting = await startPayment('still-waiting', { deadlineInMs: 60_000, keepAnswer: true });
    // Meanwhile, at SensePass, consumers act while the gateway is down.
    await sim.control.approve(approved.transactionNumber);
    await sim.control.decline(lost.transactionNumber);
    await restart();

    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.failed).toEqual([]);
    expect(summary.reconciled.map((e) => e.id).sort()).toEqual([approved.id, lost.id, neverSent.id, overdue.id].sort());
    expect(summary.resumed.map((e) => [e.id, e.state])).toEqual([[waiting.id, 'AWAITING']]);

    expect(await journal.get(approved.id)).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED', context: { recovery: { replyDelivered: false, via: 'status' } } });
    expect((await journal.get(approved.id))?.commitLink).toContain(approved.transactionNumber);
    expect(await journal.get(lost.id)).toMatchObject({ state: 'SETTLED', outcome: 'DECLINED', transactionNumber: lost.transactionNumber });
    expect(await journal.get(neverSent.id)).toMatchObject({ state: 'NOT_CREATED', result: { error: { code: 'GW_UPSTREAM_UNAVAILABLE_RETRY' } } });
    expect(await journal.get(overdue.id)).toMatchObject({ state: 'SETTLED', outcome: 'CANCELLED', context: { recovery: { via: 'cancel' } } });

    const info = await sim.control.transaction(approved.transactionNumber);
    expect(info.committed).toBe(false); // the POS never got this approval: SensePass will reverse it
    expect((await sim.control.transaction(overdue.transactionNumber)).cancelCalls).toBe(1);
    expect((await sim.control.transaction(waiting.transactionNumber)).entity.status).not.toBe(9);

    const before = await sim.control.stats();
    const again = await reconcileUnfinished(journal, deps);
    expect(again.reconciled).toEqual([]);
    expect(again.resumed.map((e) => e.id)).toEqual([waiting.id]);
    const after = await sim.control.stats();
    expect([after.initCalls, after.cancelCalls, after.commitCalls]).toEqual([before.initCalls, before.cancelCalls, before.commitCalls]);
    expect(after.initCalls).toBe(4); // recovery never creates a payment
    expect(logs.text()).not.toContain(DEMO_CREDENTIALS.deviceId);
  });
});
