// Test support: a fresh temp directory per test and a journal opened in it with a controllable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteJournal, type SqliteJournal, type SqliteJournalOptions } from '../../src/journal/sqlite-journal.js';
import type { BeginInput } from '../../src/journal/journal.js';
import { createLogger, type Logger } from '../../src/log.js';

export interface TempDir {
  readonly dir: string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'spgw-journal-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 0, 15, 12, 0, 0)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export function open(file: string, options: Partial<SqliteJournalOptions> = {}): SqliteJournal {
  return openSqliteJournal({ file, ...options });
}

export function input(overrides: Partial<BeginInput> = {}): BeginInput {
  return {
    scope: 'pos-1',
    key: 'T7/R1001',
    mappingId: 'acme-pos.sale',
    payloadHash: 'a'.repeat(64),
    deadlineAt: Date.UTC(2025, 0, 15, 12, 2, 0),
    context: { terminal: 'T7', receipt: 'R1001', amountMinor: 1250, currency: 'USD', findBy: 'posData' },
    ...overrides,
  };
}

/** A real pino logger writing JSON lines into an array, so tests can read what was logged (and what was not). */
export function captureLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
  return {
    logger,
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => raw.join(''),
  };
}
