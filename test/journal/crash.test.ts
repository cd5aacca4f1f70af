// A process killed with SIGKILL right after begin() returned has still journaled the exchange (no close, no checkpoint).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { open, tempDir } from './temp-journal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = tempDir();
let journal: SqliteJournal | undefined;

afterAll(async () => {
  await journal?.close();
  journal = undefined;
  tmp.cleanup();
});

/** Runs the fixture, waits for its "journaled" line, kills it with SIGKILL and waits for it to be gone. */
function beginInChildThenKill(file: string, key: string): Promise<{ kind: string; id: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'begin-then-hang.ts'), file, key], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let line: { kind: string; id: string } | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (line === undefined && out.includes('\n')) {
        line = JSON.parse(out.slice(0, out.indexOf('\n'))) as { kind: string; id: string };
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (line === undefined) reject(new Error(`child exited before journaling: ${err}`));
      else resolve({ ...line, signal });
    });
  });
}

describe('journal durability', () => {
  it('keeps the entry of a process killed with SIGKILL right after begin returned', async () => {
    const file = path.join(tmp.dir, 'data', 'journal.sqlite');
    const child = await beginInChildThenKill(file, 'R-crash-1');
    expect(child.kind).toBe('new');
    expect(child.signal).toBe('SIGKILL');

    journal = open(file);
    const found = await journal.findByKey('pos-crash', 'R-crash-1');
    expect(found).toMatchObject({ id: child.id, state: 'JOURNALED', context: { receipt: 'R-crash-1' } });
    expect((await journal.unfinished()).map((e) => e.id)).toEqual([child.id]);
  });
});
