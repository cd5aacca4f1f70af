// journal.synchronous: 'full' unless a site opts in to 'normal'; the level SQLite applied is read back, not echoed.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { captureLogger, input, open, tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let journal: SqliteJournal | undefined;

beforeEach(() => {
  tmp = tempDir();
});
afterEach(async () => {
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

describe('journal.synchronous', () => {
  it('defaults to full in the config and in the journal', async () => {
    expect(loadConfig({ env: {} }).journal.synchronous).toBe('full');
    journal = open(path.join(tmp.dir, 'j.sqlite'));
    expect(journal.synchronous).toBe('full');
  });

  it("accepts 'normal' (file or SPGW_JOURNAL__SYNCHRONOUS) and refuses anything else", () => {
    expect(loadConfig({ env: {}, values: { journal: { synchronous: 'normal' } } }).journal.synchronous).toBe('normal');
    expect(loadConfig({ env: { SPGW_JOURNAL__SYNCHRONOUS: 'normal' } }).journal.synchronous).toBe('normal');
    let code: string | undefined;
    try {
      loadConfig({ env: {}, values: { journal: { synchronous: 'off' } } });
    } catch (err) {
      code = isGatewayError(err) ? err.code : String(err);
    }
    expect(code).toBe('GW_CONFIG_INVALID');
  });

  it("opens with synchronous=NORMAL when asked, warns about it, and still journals and groups writes", async () => {
    const log = captureLogger();
    journal = open(path.join(tmp.dir, 'j.sqlite'), { synchronous: 'normal', logger: log.logger });
    expect(journal.synchronous).toBe('normal');
    expect(log.lines().some((l) => l.level === 40 && String(l.msg).includes('synchronous=NORMAL'))).toBe(true);
    const [a, b] = await Promise.all([journal.begin(input({ key: 'a' })), journal.begin(input({ key: 'b' }))]);
    expect([a.kind, b.kind]).toEqual(['new', 'new']);
    expect(journal.stats()).toMatchObject({ batches: 1, writes: 2 });
  });
});
