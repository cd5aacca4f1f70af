// Recovery's decision table, driven through a recording PaymentApi double (the interface only; no SensePass behaviour).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SensePassCredentials } from '../../src/config.js';
import type { CancelResult, PaymentApi } from '../../src/exchange/call/payment-api.js';
import type { TransactionEntity } from '../../src/exchange/call/transaction.js';
import { gwError } from '../../src/errors.js';
import { findLostPayments } from '../../src/journal/find-lost-payment.js';
import { reconcileUnfinished, RECOVERY_CONTEXT_KEY, type RecoveryDeps } from '../../src/journal/recovery.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { captureLogger, input, manualClock, open, tempDir, type TempDir } from './temp-journal.js';

const CREDS: SensePassCredentials = { deviceId: 'device-secret-123456' };

/** Answers from a table the test fills in; records every call. */
class RecordingApi implements PaymentApi {
  readonly calls: string[] = [];
  readonly statuses = new Map<string, number[]>(); // successive GET answers per transaction
  list: TransactionEntity[] = [];
  cancelResult: CancelResult = { kind: 'cancelled' };
  failGet = false;
  lastFilter: Readonly<Record<string, unknown>> | undefined;

  async request(): Promise<never> {
    throw new Error('not used by recovery');
  }
  async init(): Promise<never> {
    throw new Error('recovery must never create a payment');
  }
  async getTransaction(n: string, c: SensePassCredentials): Promise<TransactionEntity> {
    expect(c).toBe(CREDS);
    this.calls.push(`get ${n}`);
    if (this.failGet) throw gwError('GW_UPSTREAM_UNAVAILABLE');
    const queue = this.statuses.get(n) ?? [];
    const status = queue.length > 1 ? queue.shift()! : queue[0];
    if (status === undefined) throw gwError('GW_UPSTREAM_REJECTED', { detail: 'no such transaction' });
    return { TransactionNumber: n, status, paymentCommit: status === 5 ? { commitLink: `https://sim/commitPayment/${n}` } : undefined };
  }
  async listTransactions(filter: Readonly<Record<string, unknown>>): Promise<TransactionEntity[]> {
    this.calls.push('list');
    this.lastFilter = filter;
    const { limit, offset } = filter.pagination as { limit: number; offset: number };
    return this.list.slice(offset, offset + limit);
  }
  async cancel(n: string): Promise<CancelResult> {
    this.calls.push(`cancel ${n}`);
    return this.cancelResult;
  }
  async commit(link: string): Promise<void> {
    this.calls.push(`commit ${link}`);
  }
}

let tmp: TempDir;
let journal: SqliteJournal;
let api: RecordingApi;
let deps: RecoveryDeps;
let logs: ReturnType<typeof captureLogger>;
const clock = manualClock();

beforeEach(() => {
  tmp = tempDir();
  journal = open(path.join(tmp.dir, 'journal.sqlite'), { now: clock.now });
  api = new RecordingApi();
  logs = captureLogger();
  deps = { api, credentialsFor: (scope) => (scope === 'pos-1' ? CREDS : undefined), now: clock.now, logger: logs.logger };
});
afterEach(async () => {
  await journal.close();
  tmp.cleanup();
});

/** An exchange as a crashed process left it. */
async function left(key: string, state: 'JOURNALED' | 'CALLING' | 'AWAITING' | 'UNKNOWN', transactionNumber?: string, deadlineInMs = 60_000) {
  const { exchange } = await journal.begin(input({ key, deadlineAt: clock.now() + deadlineInMs }));
  return journal.advance(exchange.id, { state, ...(transactionNumber === undefined ? {} : { transactionNumber }) });
}

describe('reconcileUnfinished', () => {
  it('a non-init call cut off mid-flight stays UNKNOWN (never "not charged"); one never sent is NOT_CREATED (a resend tries afresh)', async () => {
    const { exchange: cut } = await journal.begin(input({ key: 'refund-cut', mappingId: 'acme-pos.refund', context: { receipt: 'R9' } }));
    await journal.advance(cut.id, { state: 'CALLING' });
    const { exchange: unsent } = await journal.begin(input({ key: 'refund-unsent', mappingId: 'acme-pos.refund', context: { receipt: 'R8' } }));
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.failed.map((f) => [f.exchange.id, f.error.code])).toEqual([[cut.id, 'GW_OUTCOME_UNKNOWN']]);
    expect(await journal.get(cut.id)).toMatchObject({ state: 'UNKNOWN', outcome: 'UNKNOWN' });
    expect(await journal.get(unsent.id)).toMatchObject({ state: 'NOT_CREATED' });
    expect(api.calls).toEqual([]);
  });
  it('a final status is recorded as FINAL with the outcome, marked undelivered, and never committed', async () => {
    const e = await left('a', 'AWAITING', 'tx-a');
    api.statuses.set('tx-a', [5]);
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.reconciled.map((x) => x.id)).toEqual([e.id]);
    const stored = await journal.get(e.id);
    expect(stored).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED', commitLink: 'https://sim/commitPayment/tx-a', reply: undefined });
    expect(stored?.context[RECOVERY_CONTEXT_KEY]).toEqual({ at: clock.now(), replyDelivered: false, via: 'status' });
    expect(stored?.context.receipt).toBe('R1001');
    expect(api.calls).toEqual(['get tx-a']);
  });

  it('still pending before the deadline (user declined = 3 is not final): left for the live waiter as AWAITING', async () => {
    const e = await left('b', 'CALLING', 'tx-b');
    api.statuses.set('tx-b', [3]);
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.resumed.map((x) => [x.id, x.state])).toEqual([[e.id, 'AWAITING']]);
    expect(summary.reconciled).toEqual([]);
    expect(api.calls).toEqual(['get tx-b']);
  });

  it('pending past the deadline: cancel, re-read, record the cancellation', async () => {
    const e = await left('c', 'AWAITING', 'tx-c', 1_000);
    clock.advance(2_000);
    api.statuses.set('tx-c', [10, 9]);
    const summary = await reconcileUnfinished(journal, deps);
    expect(api.calls).toEqual(['get tx-c', 'cancel tx-c', 'get tx-c']);
    expect(summary.reconciled.map((x) => x.id)).toEqual([e.id]);
    expect(await journal.get(e.id)).toMatchObject({ state: 'SETTLED', outcome: 'CANCELLED', context: { recovery: { via: 'cancel' } } });
  });

  it('past the deadline, cancel refused and still pending: UNKNOWN, resumed; a second run repeats the ladder', async () => {
    const e = await left('d', 'AWAITING', 'tx-d', 1_000);
    clock.advance(2_000);
    api.statuses.set('tx-d', [4]);
    api.cancelResult = { kind: 'too-late', status: 501 };
    const first = await reconcileUnfinished(journal, deps);
    expect(first.resumed.map((x) => [x.id, x.state, x.outcome])).toEqual([[e.id, 'UNKNOWN', 'UNKNOWN']]);
    api.statuses.set('tx-d', [5]);
    const second = await reconcileUnfinished(journal, deps);
    expect(second.reconciled.map((x) => x.id)).toEqual([e.id]);
    expect(await journal.get(e.id)).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED' });
    expect(api.calls.filter((c) => c.startsWith('commit'))).toEqual([]);
  });

  it('no transaction number: finds the payment by posData.gatewayKey (object or JSON string), records its number and outcome', async () => {
    const e = await left('T7/R5', 'CALLING');
    api.list = [
      { TransactionNumber: 'other-1', status: 5, posData: { gatewayKey: 'pos-1/T7/R4' } },
      { TransactionNumber: 'other-2', status: 5, posData: { gatewayKey: 'pos-2/T7/R5' } },
      { TransactionNumber: 'tx-lost', status: 4, posData: JSON.stringify({ terminal: 'T7', gatewayKey: 'pos-1/T7/R5' }) },
      { TransactionNumber: 'other-3', status: 6 },
    ];
    api.statuses.set('tx-lost', [6]);
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.reconciled.map((x) => x.id)).toEqual([e.id]);
    expect(await journal.get(e.id)).toMatchObject({ state: 'SETTLED', outcome: 'DECLINED', transactionNumber: 'tx-lost' });
    expect(api.calls).toEqual(['list', 'get tx-lost']);
    const filter = api.lastFilter as { startDate: string; endDate: string };
    expect(Date.parse(filter.startDate)).toBeLessThan(e.createdAt);
    expect(Date.parse(filter.endDate)).toBeGreaterThan(clock.now());
  });

  it('no transaction number and SensePass has none with this key: NOT_CREATED, not charged, and not final', async () => {
    const e = await left('never', 'CALLING');
    api.list = [{ TransactionNumber: 'other', status: 5, posData: { gatewayKey: 'pos-1/someone-else' } }];
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.reconciled.map((x) => x.id)).toEqual([e.id]);
    expect(await journal.get(e.id)).toMatchObject({
      state: 'NOT_CREATED',
      result: { error: { code: 'GW_UPSTREAM_UNAVAILABLE_RETRY', params: {} } },
      context: { recovery: { via: 'not-created', replyDelivered: false } },
    });
    expect(api.calls).toEqual(['list']);
  });

  it('two payments with one key, SensePass unreachable, or no credentials: left unfinished and reported as failed', async () => {
    const twice = await left('dup', 'CALLING');
    api.list = [
      { TransactionNumber: 'x1', status: 5, posData: { gatewayKey: 'pos-1/dup' } },
      { TransactionNumber: 'x2', status: 5, posData: { gatewayKey: 'pos-1/dup' } },
    ];
    const unreachable = await left('net', 'AWAITING', 'tx-net');
    const { exchange: orphan } = await journal.begin(input({ scope: 'gone', key: 'k' }));
    api.failGet = true;
    const summary = await reconcileUnfinished(journal, deps);
    expect(summary.failed.map((f) => [f.exchange.id, f.error.code]).sort()).toEqual(
      [
        [twice.id, 'GW_UPSTREAM_BAD_RESPONSE'],
        [unreachable.id, 'GW_UPSTREAM_UNAVAILABLE'],
        [orphan.id, 'GW_AUTH_NO_CREDENTIALS'],
      ].sort(),
    );
    expect((await journal.unfinished()).map((x) => x.id).sort()).toEqual([twice.id, unreachable.id, orphan.id].sort());
    expect(logs.text()).not.toContain(CREDS.deviceId);
  });

  it('is idempotent: a second run touches nothing the first settled', async () => {
    await left('s1', 'AWAITING', 'tx-1');
    await left('s2', 'JOURNALED');
    api.statuses.set('tx-1', [9]);
    await reconcileUnfinished(journal, deps);
    const callsAfterFirst = api.calls.length;
    const second = await reconcileUnfinished(journal, deps);
    expect(second).toEqual({ reconciled: [], resumed: [], failed: [] });
    expect(api.calls.length).toBe(callsAfterFirst);
  });
});

describe('findLostPayments', () => {
  it('reads every page, and reports an incomplete scan when the page budget runs out', async () => {
    const { exchange } = await journal.begin(input({ key: 'p' }));
    api.list = Array.from({ length: 5 }, (_, i) => ({ TransactionNumber: `t${i}`, status: 5, posData: { gatewayKey: i === 4 ? 'pos-1/p' : 'x' } }));
    const all = await findLostPayments(api, CREDS, exchange, { now: clock.now, pageSize: 2 });
    expect(all.complete).toBe(true);
    expect(all.found.map((t) => t.TransactionNumber)).toEqual(['t4']);
    const cut = await findLostPayments(api, CREDS, exchange, { now: clock.now, pageSize: 2, maxPages: 2 });
    expect(cut).toEqual({ found: [], complete: false });
  });
});
