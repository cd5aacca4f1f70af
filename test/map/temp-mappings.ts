// Writes mapping files into a fresh temporary directory for a test, and removes it afterwards.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempMappings {
  readonly dir: string;
  file(name: string): string;
  remove(): void;
}

/** files: relative path (e.g. "pos/sale.yaml") → YAML text. */
export function tempMappings(files: Record<string, string>): TempMappings {
  const dir = mkdtempSync(path.join(tmpdir(), 'spgw-map-'));
  for (const [name, text] of Object.entries(files)) {
    const full = path.join(dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ACME_OPS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['AcmePaymentService', new Set(['Sale', 'Refund', 'Cancel', 'GetTransactionStatus'])],
]);

export const anonymous = { name: 'anonymous', method: 'none' } as const;
