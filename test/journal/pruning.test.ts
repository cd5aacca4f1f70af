// Retention on a timer: old finished exchanges go, unfinished and recent ones stay; the timer never holds the process.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPruning } from '../../src/exchange/idempotency/pruning.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { captureLogger, input, manualClock, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal;
const clock = manualClock();
const stops: (() => void)[] = [];

beforeEach(() => {
  tmp = tempDir();
  journal = open(path.join(tmp.dir, 'journal.sqlite'), { now: clock.now });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await journal.close();
  tmp.cleanup();
});

const refTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function finished(key: string): Promise<string> {
  const { exchange } = await journal.begin(input({ key }));
  await journal.advance(exchange.id, { state: 'SETTLED', outcome: 'DECLINED', reply: { kind: 'reply', outcome: 'DECLINED', value: { Result: 'DECLINED' } } });
  return exchange.id;
}

describe('startPruning', () => {
  it('prunes at start and on every interval, keeps unfinished and recent entries, and stops cleanly', async () => {
    const old = await finished('old');
    const open1 = (await journal.begin(input({ key: 'open' }))).exchange.id;
    clock.advance(3 * 3_600_000);
    const recent = await finished('recent');

    const timersBefore = refTimers();
    stops.push(startPruning(journal, { retentionHours: 2, intervalMs: 20 }));
    expect(refTimers()).toBe(timersBefore); // unref'd: never keeps the process alive
    await sleep(5);
    expect(await journal.get(old)).toBeUndefined();
    expect(await journal.get(open1)).toBeDefined();
    expect(await journal.get(recent)).toBeDefined();

    clock.advance(3 * 3_600_000); // now "recent" is old too: the next tick removes it
    await sleep(60);
    expect(await journal.get(recent)).toBeUndefined();
    expect(await journal.get(open1)).toBeDefined();

    stops.pop()?.();
    const later = await finished('later');
    clock.advance(3 * 3_600_000);
    await sleep(60);
    expect(await journal.get(later)).toBeDefined(); // stopped: no more prunes
  });

  it('logs a failed prune instead of throwing, and keeps trying', async () => {
    const { logger, lines } = captureLogger();
    await journal.close();
    stops.push(startPruning(journal, { retentionHours: 1, intervalMs: 10, logger }));
    await sleep(50);
    const warnings = lines().filter((l) => l.level === 40);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatchObject({ msg: expect.stringMatching(/prune failed/), code: 'GW_JOURNAL_UNAVAILABLE' });
    journal = open(path.join(tmp.dir, 'journal.sqlite'), { now: clock.now });
  });
});
