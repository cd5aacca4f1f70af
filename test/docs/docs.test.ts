// The docs say what the code does: the status table agrees with $outcomeOf and the exchange's own rule, and no
// document points to a file outside the repository (or to one inside it that does not exist).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/exchange/call/transaction.js';
import { STATUS_OUTCOMES, statusOutcome } from '../../src/exchange/map/status-outcome.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const DOCS = [...readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'README.md'];

describe('docs/transaction.md status table', () => {
  const text = readFileSync(path.join(REPO, 'docs/transaction.md'), 'utf8');
  const rows = [...text.matchAll(/^\| (\d+) \| `(\w+)` \|.*\| `(\w+)` \| `(\w+)` \|$/gm)].map((m) => ({
    code: Number(m[1]),
    outcome: m[3] as string,
    helper: m[4] as string,
  }));

  it('lists every status code 0–13 once', () => {
    expect(rows.map((r) => r.code)).toEqual([...Array(14).keys()]);
    expect(Object.keys(STATUS_OUTCOMES).map(Number).sort((a, b) => a - b)).toEqual([...Array(14).keys()]);
  });

  it('shows what $outcomeOf returns for each, and what the exchange decides', () => {
    for (const r of rows) {
      expect(statusOutcome(r.code), `$outcomeOf(${r.code})`).toBe(r.helper);
      expect(outcomeOf(r.code) ?? 'UNKNOWN', `$outcome for ${r.code}`).toBe(r.outcome);
    }
    expect(statusOutcome(99)).toBe('UNKNOWN');
    expect(statusOutcome('5')).toBeUndefined();
  });
});

describe('documents', () => {
  it.each(DOCS)('%s refers to nothing outside the repository', (doc) => {
    const text = readFileSync(path.join(REPO, doc), 'utf8');
    expect(text).not.toMatch(/\/work\/|shared\/reference|reference §|\.\.\/shared/);
    // Markdown links to files resolve inside the repository.
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target as string)) continue;
      const resolved = path.resolve(path.dirname(path.join(REPO, doc)), target as string);
      expect(resolved.startsWith(REPO + path.sep), `${doc} links ${target}`).toBe(true);
      expect(existsSync(resolved), `${doc} links ${target}`).toBe(true);
    }
    // Repository paths written in backticks exist (generated bench results and placeholders aside).
    for (const [, p] of text.matchAll(/`((?:docs|src|test|mappings|wsdl|bin)\/[\w./-]+)`/g)) {
      expect(existsSync(path.join(REPO, p as string)), `${doc} mentions ${p}`).toBe(true);
    }
  });
});
