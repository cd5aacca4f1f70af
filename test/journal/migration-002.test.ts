// Migration 002 on a journal written by schema 1: states renamed after the stages, stored replies still readable,
// "proven not created" rows become NOT_CREATED (a resend tries afresh), and the new result column is written.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/journal/migrate.js';
import { open, tempDir } from './temp-journal.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ROW = `INSERT INTO exchanges (id, scope, key, mapping_id, payload_hash, state, transaction_number, outcome, reply, commit_link,
  deadline_at, created_at, updated_at, context) VALUES (?, 'pos-1', ?, 'acme-pos.sale', 'h', ?, ?, ?, ?, ?, 0, 1, 1, ?)`;

describe('migration 002 (settled results, stage state names)', () => {
  it('keeps every schema-1 row readable and renames FINAL/REPLIED; recovery-proven not-created rows become NOT_CREATED', async () => {
    const file = path.join(tmp.dir, 'old.sqlite');
    const db = new Database(file);
    migrate(db, loadMigrations().slice(0, 1));
    const reply = JSON.stringify({ kind: 'reply', outcome: 'APPROVED', value: { Result: 'APPROVED' } });
    const insert = db.prepare(ROW);
    insert.run('a', 'k-final', 'FINAL', 'tx-1', 'APPROVED', reply, 'http://x/commit', '{}');
    insert.run('b', 'k-replied', 'REPLIED', 'tx-2', 'APPROVED', reply, 'http://x/commit', '{}');
    insert.run('c', 'k-gone', 'REJECTED', null, null, '{"kind":"fault","code":"GW_UPSTREAM_UNAVAILABLE","params":{}}', null, '{"recovery":{"via":"not-created"}}');
    insert.run('d', 'k-refused', 'REJECTED', null, null, '{"kind":"fault","code":"GW_UPSTREAM_REJECTED","params":{"detail":"x"}}', null, '{}');
    db.close();

    const journal = open(file);
    try {
      expect(journal.schemaVersion).toBe(2);
      expect(await journal.get('a')).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED', reply: { kind: 'reply', value: { Result: 'APPROVED' } } });
      expect(await journal.get('b')).toMatchObject({ state: 'DELIVERED', commitLink: 'http://x/commit' });
      expect(await journal.get('c')).toMatchObject({ state: 'NOT_CREATED' });
      expect(await journal.get('d')).toMatchObject({ state: 'REJECTED', reply: { code: 'GW_UPSTREAM_REJECTED' } });
      // The delivered approval is still found by the commit sweeper, and the new column is written and read back.
      expect((await journal.uncommitted()).map((e) => e.id)).toEqual(['b']);
      const done = await journal.advance('a', { state: 'DELIVERED', result: { outcome: 'APPROVED', transaction: { TransactionNumber: 'tx-1', status: 5 } } });
      expect((await journal.get('a'))?.result).toEqual(done.result);
    } finally {
      await journal.close();
    }
  });
});
