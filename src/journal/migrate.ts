// Numbered SQL migrations (migrations/NNN_name.sql), applied once each, in one transaction, when the journal opens.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { gwError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Beside this module; `npm run build` must copy src/journal/migrations/*.sql to dist/src/journal/migrations/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{3})_([a-z0-9_-]+)\.sql$/;

/** Reads the migration files; their numbers must run 1, 2, 3 … without gaps (a gap is a packaging bug). */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_NAME.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`journal migrations must be numbered 001, 002, … without gaps; found ${m.version} at ${i + 1}`);
  });
  if (migrations.length === 0) throw new Error(`no journal migrations found in ${dir}`);
  return migrations;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Brings the schema up to the newest migration inside one IMMEDIATE transaction (a second process opening the same
 * file waits, then sees the work done). A file already migrated beyond what this code knows is refused: an older
 * gateway must never write rows it does not understand.
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationResult {
  const known = migrations.length === 0 ? 0 : (migrations[migrations.length - 1]?.version ?? 0);
  const run = db.transaction((): MigrationResult => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_version').get() as { v: number };
    const from = row.v;
    if (from > known) throw gwError('GW_JOURNAL_SCHEMA_NEWER', { found: from, known });
    const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      applied.push(m.version);
    }
    return { from, to: Math.max(from, known), applied };
  });
  return run.immediate();
}
