// The idempotency coordinator on a real SQLite journal: run / join / replay / reconcile / conflict, no leaks.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settled, SettledResult } from '../../src/exchange/exchange.js';
import { beginExchange, canonicalJson, InFlight, payloadHash, type ExchangeStart } from '../../src/exchange/idempotency/index.js';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { input, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal;
let inFlight: InFlight;

beforeEach(() => {
  tmp = tempDir();
  journal = open(path.join(tmp.dir, 'journal.sqlite'));
  inFlight = new InFlight();
});
afterEach(async () => {
  await journal.close();
  tmp.cleanup();
});

const approved: SettledResult = { outcome: 'APPROVED', response: { status: 5, confirmations: [{ confirmationNumber: '063-77' }] } };

/** What the exchange runner does when it owns an exchange: journal the result, then settle the joiners. */
async function finish(start: ExchangeStart, result: SettledResult): Promise<void> {
  if (start.kind !== 'run' && start.kind !== 'reconcile') throw new Error(`not an owner: ${start.kind}`);
  const exchange = await journal.advance(start.exchange.id, { state: 'SETTLED', outcome: result.outcome, result });
  start.settle({ exchange, result });
}

/** What a joiner renders from. */
async function joined(start: ExchangeStart): Promise<SettledResult | undefined> {
  if (start.kind !== 'join') throw new Error(`not a joiner: ${start.kind}`);
  return (await start.settled).result;
}

describe('payloadHash', () => {
  it('ignores key order and whitespace but not values', () => {
    const a = { amount: 1250, currency: 'USD', posData: { terminal: 'T7', receipt: 'R1' }, items: [{ q: 1, n: 'x' }] };
    const b = { items: [{ n: 'x', q: 1 }], posData: { receipt: 'R1', terminal: 'T7' }, currency: 'USD', amount: 1250 };
    expect(canonicalJson(a)).toBe('{"amount":1250,"currency":"USD","items":[{"n":"x","q":1}],"posData":{"receipt":"R1","terminal":"T7"}}');
    expect(payloadHash(a)).toBe(payloadHash(b));
    expect(payloadHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(payloadHash({ ...a, amount: 1251 })).not.toBe(payloadHash(a));
    expect(payloadHash({ ...a, items: [...a.items, { q: 1, n: 'x' }] })).not.toBe(payloadHash(a));
    expect(payloadHash({ v: '1' })).not.toBe(payloadHash({ v: 1 }));
    expect(canonicalJson({ a: undefined, b: [undefined, NaN], c: new Date(0) })).toBe('{"b":[null,null],"c":"1970-01-01T00:00:00.000Z"}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('InFlight', () => {
  it('joins the registered promise and forgets it once settled, resolved or rejected (no leak)', async () => {
    let resolve!: (r: Settled) => void;
    const p = new Promise<Settled>((res) => (resolve = res));
    const entry = inFlight.register('s', 'k', p, 'h1');
    expect(inFlight.join('s', 'k')).toBe(entry);
    expect(inFlight.join('s/k', '')).toBeUndefined();
    expect(() => inFlight.register('s', 'k', p, 'h1')).toThrow(/already in flight/);
    const settled = { exchange: (await journal.begin(input())).exchange, result: approved };
    resolve(settled);
    expect(await inFlight.join('s', 'k')?.reply).toEqual(settled);
    await Promise.resolve();
    expect(inFlight.size).toBe(0);

    const failing = Promise.reject(new Error('owner failed'));
    inFlight.register('s', 'k2', failing, 'h1');
    await failing.catch(() => undefined);
    await Promise.resolve();
    expect(inFlight.size).toBe(0);
  });
});

describe('beginExchange', () => {
  it('20 concurrent requests with one key: exactly one run, the rest join, all get the identical reply; nothing leaks', async () => {
    const starts = await Promise.all(Array.from({ length: 20 }, () => beginExchange(journal, inFlight, input())));
    const kinds = starts.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'run')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'join')).toHaveLength(19);
    expect(inFlight.size).toBe(1);

    const owner = starts.find((s) => s.kind === 'run');
    const replies = starts.filter((s) => s.kind === 'join').map(joined);
    await new Promise((r) => setTimeout(r, 20)); // the upstream call takes a while
    await finish(owner!, approved);
    for (const reply of await Promise.all(replies)) expect(reply).toEqual(approved);
    await Promise.resolve();
    expect(inFlight.size).toBe(0);

    // After completion: a repeat replays the journaled result (rendered again on delivery).
    const later = await beginExchange(journal, inFlight, input());
    expect(later).toMatchObject({ kind: 'replay', exchange: { result: approved } });
    expect((await journal.unfinished()).length).toBe(0);
  });

  it('stays one run when the store answers out of order (a networked Journal): the claim precedes the journal call', async () => {
    // The real SQLite journal, with each begin() answer held back a little longer than the next one's.
    let delay = 40;
    const slow = { ...journal, begin: async (i: Parameters<typeof journal.begin>[0]) => {
      const wait = (delay -= 2);
      const result = await journal.begin(i);
      await new Promise((r) => setTimeout(r, wait));
      return result;
    } };
    const starts = await Promise.all(Array.from({ length: 20 }, () => beginExchange(slow, inFlight, input())));
    expect(starts.filter((s) => s.kind === 'run')).toHaveLength(1);
    expect(starts.filter((s) => s.kind === 'join')).toHaveLength(19);
    await finish(starts.find((s) => s.kind === 'run')!, approved);
    for (const s of starts) if (s.kind === 'join') expect(await joined(s)).toEqual(approved);
  });

  it('a repeat that arrives while the owner is finishing still gets the same reply (join or replay)', async () => {
    const owner = await beginExchange(journal, inFlight, input());
    const mid = finish(owner, approved);
    const repeats = await Promise.all(Array.from({ length: 5 }, () => beginExchange(journal, inFlight, input())));
    await mid;
    for (const r of repeats) {
      expect(['join', 'replay']).toContain(r.kind);
      expect(r.kind === 'join' ? await joined(r) : r.kind === 'replay' ? r.exchange.result : undefined).toEqual(approved);
    }
  });

  it('same key with another payload is a conflict, in flight or finished, and creates nothing', async () => {
    const owner = await beginExchange(journal, inFlight, input());
    const whileInFlight = await beginExchange(journal, inFlight, input({ payloadHash: 'f'.repeat(64) }));
    expect(whileInFlight.kind).toBe('conflict');
    expect(whileInFlight.kind === 'conflict' && isGatewayError(whileInFlight.error, 'GW_IDEMPOTENCY_CONFLICT')).toBe(true);
    await finish(owner, approved);
    await Promise.resolve();
    const afterwards = await beginExchange(journal, inFlight, input({ payloadHash: 'f'.repeat(64) }));
    expect(afterwards.kind).toBe('conflict');
    expect(afterwards.kind === 'conflict' && afterwards.exchange?.payloadHash).toBe('a'.repeat(64));
    expect(inFlight.size).toBe(0);
    expect(await journal.findByKey('pos-1', 'T7/R1001')).toMatchObject({ payloadHash: 'a'.repeat(64), result: approved });
  });

  it('concurrent requests with the original and a different payload: the different ones conflict, the rest join', async () => {
    const mixed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => beginExchange(journal, inFlight, input(i % 2 === 1 ? { payloadHash: 'e'.repeat(64) } : {}))),
    );
    expect(mixed.map((s) => s.kind)).toEqual(['run', 'conflict', 'join', 'conflict', 'join', 'conflict', 'join', 'conflict', 'join', 'conflict']);
    await finish(mixed[0]!, approved);
    await Promise.all(mixed.filter((s) => s.kind === 'join').map(joined));
  });

  it('an unfinished entry nobody here works on (restart) is reconcile; repeats during the reconcile join it', async () => {
    const { exchange } = await journal.begin(input());
    await journal.advance(exchange.id, { state: 'AWAITING', transactionNumber: 'tx-1' });
    const first = await beginExchange(journal, inFlight, input());
    expect(first).toMatchObject({ kind: 'reconcile', exchange: { id: exchange.id, state: 'AWAITING' } });
    const second = await beginExchange(journal, inFlight, input());
    expect(second.kind).toBe('join');
    await finish(first, approved);
    expect(await joined(second)).toEqual(approved);
  });

  it('UNKNOWN with a stored UNKNOWN fault and SETTLED without a result are reconciled, not replayed', async () => {
    const unknown = (await journal.begin(input({ key: 'u' }))).exchange;
    await journal.advance(unknown.id, { state: 'UNKNOWN', reply: { kind: 'fault', code: 'GW_OUTCOME_UNKNOWN', params: {} } });
    const recovered = (await journal.begin(input({ key: 'f' }))).exchange;
    await journal.advance(recovered.id, { state: 'SETTLED', outcome: 'APPROVED' });
    for (const key of ['u', 'f']) {
      const start = await beginExchange(journal, inFlight, input({ key }));
      expect(start.kind).toBe('reconcile');
      if (start.kind === 'reconcile') start.fail(new Error('not needed here'));
    }
    await Promise.resolve();
    expect(inFlight.size).toBe(0);
  });

  it('a journal failure reaches the caller and its joiners, and leaves nothing in flight', async () => {
    await journal.close();
    const starts = await Promise.allSettled([beginExchange(journal, inFlight, input()), beginExchange(journal, inFlight, input())]);
    for (const s of starts) {
      expect(s.status).toBe('rejected');
      expect(s.status === 'rejected' && isGatewayError(s.reason, 'GW_JOURNAL_UNAVAILABLE')).toBe(true);
    }
    expect(inFlight.size).toBe(0);
    journal = open(path.join(tmp.dir, 'journal.sqlite'));
    expect(await journal.unfinished()).toEqual([]);
  });
});
