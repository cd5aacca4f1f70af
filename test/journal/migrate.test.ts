// Numbered migrations: loaded in order, gaps refused, each applied exactly once, upgrades applied in one transaction.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../src/journal/migrate.js';
import { tempDir, type TempDir } from './temp-journal.js';

let tmp: TempDir;
let db: Database.Database;
beforeEach(() => {
  tmp = tempDir();
  db = new Database(path.join(tmp.dir, 'm.sqlite'));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const versions = () => (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);

describe('migrations', () => {
  it('ships 001_initial.sql and applies it once', () => {
    const shipped = loadMigrations(MIGRATIONS_DIR);
    expect(shipped[0]).toMatchObject({ version: 1, name: 'initial' });
    expect(migrate(db, shipped)).toEqual({ from: 0, to: shipped.length, applied: shipped.map((m) => m.version) });
    expect(migrate(db, shipped)).toEqual({ from: shipped.length, to: shipped.length, applied: [] });
    expect(versions()).toEqual(shipped.map((m) => m.version));
  });

  it('upgrades an existing file with only the new migrations; a failing migration rolls the whole upgrade back', () => {
    writeFileSync(path.join(tmp.dir, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(path.join(tmp.dir, 'notes.txt'), 'ignored');
    expect(migrate(db, loadMigrations(tmp.dir)).applied).toEqual([1]);
    writeFileSync(path.join(tmp.dir, '002_b.sql'), 'CREATE TABLE b (y INTEGER);');
    writeFileSync(path.join(tmp.dir, '003_bad.sql'), 'CREATE TABLE a (duplicate INTEGER);');
    expect(() => migrate(db, loadMigrations(tmp.dir))).toThrow(/already exists/);
    expect(versions()).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('refuses gaps in the numbering', () => {
    writeFileSync(path.join(tmp.dir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(path.join(tmp.dir, '003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(tmp.dir)).toThrow(/without gaps/);
  });
});
