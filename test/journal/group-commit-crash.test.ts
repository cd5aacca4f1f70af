// Group commit in real child processes: SIGKILL right after a batched write resolved, and a COMMIT that fails.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { input, open, tempDir } from './temp-journal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tmp = tempDir();
let journal: SqliteJournal | undefined;

afterAll(async () => {
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

interface ChildRun<T> {
  readonly line: T;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs a fixture through /bin/sh (so a file-size limit can be set), reads its first stdout line, optionally kills it
 * with SIGKILL at that moment, and resolves once it is gone.
 */
function runFixture<T>(fixture: string, args: string[], options: { killOnLine: boolean; fileLimitBlocks?: number }): Promise<ChildRun<T>> {
  const limit = options.fileLimitBlocks === undefined ? '' : `trap '' XFSZ; ulimit -f ${options.fileLimitBlocks}; `;
  const script = `${limit}exec "$0" --import tsx "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script, process.execPath, path.join(here, 'fixtures', fixture), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let line: T | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (line === undefined && out.includes('\n')) {
        line = JSON.parse(out.slice(0, out.indexOf('\n'))) as T;
        if (options.killOnLine) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (line === undefined) reject(new Error(`child exited without its line: ${err}`));
      else resolve({ line, signal });
    });
  });
}

describe('group commit durability', () => {
  it('a process killed with SIGKILL right after a batched write resolved has every write of that batch on disk', async () => {
    const file = path.join(tmp.dir, 'crash', 'journal.sqlite');
    const { line, signal } = await runFixture<{ ids: string[]; stats: { batches: number; largestBatch: number } }>(
      'batch-then-hang.ts',
      [file, '25'],
      { killOnLine: true },
    );
    expect(signal).toBe('SIGKILL');
    expect(line.ids).toHaveLength(25);
    // Two batches: the 25 begins, then the 25 advances (the line is written when the first advance resolved).
    expect(line.stats).toMatchObject({ batches: 2, largestBatch: 25 });

    journal = open(file);
    const found = await Promise.all(line.ids.map((id) => journal!.get(id)));
    expect(found.map((e) => [e?.state, e?.transactionNumber])).toEqual(line.ids.map((_, i) => ['CALLING', `tx-${i}`]));
    await journal.close();
    journal = undefined;
  });

  it('a COMMIT that fails (the WAL cannot grow: file-size limit) rejects the whole batch and writes none of it', async () => {
    const file = path.join(tmp.dir, 'limit', 'journal.sqlite');
    // Created and checkpointed here without a limit, so the child's WAL starts empty.
    journal = open(file);
    await journal.begin(input({ scope: 'pos-limit', key: 'before' }));
    await journal.close();
    journal = undefined;

    const { line } = await runFixture<{ small: string; codes: string[]; causes: (string | undefined)[]; stats: Record<string, number> }>(
      'commit-over-file-limit.ts',
      [file],
      { killOnLine: false, fileLimitBlocks: 96 }, // 48 KiB: room for the small write's frames, not for the batch's
    );
    expect(line.small).toBe('new');
    expect(line.codes).toEqual(Array.from({ length: 12 }, () => 'GW_JOURNAL_UNAVAILABLE'));
    for (const cause of line.causes) expect(cause).toMatch(/^SQLITE_(FULL|IOERR)/);
    expect(line.stats).toMatchObject({ batches: 1, failedBatches: 1, largestBatch: 1 });

    journal = open(file);
    expect(await journal.findByKey('pos-limit', 'before')).toMatchObject({ state: 'JOURNALED' });
    expect(await journal.findByKey('pos-limit', 'small')).toMatchObject({ state: 'JOURNALED' });
    for (let i = 0; i < 12; i++) expect(await journal.findByKey('pos-limit', `big${i}`)).toBeUndefined();
  });
});
