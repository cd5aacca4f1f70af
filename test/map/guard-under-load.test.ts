// Issue 12: an expression guard counts the evaluation's own work, so thousands of concurrent reply mappings
// (an approval burst) cannot fail each other; a runaway expression is still stopped in the middle of the burst.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappings, type CallResult, type CompiledMapping } from '../../src/exchange/map/index.js';
import { anonymous, tempMappings, type TempMappings } from './temp-mappings.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const COUNT = 2_000;

let sale: CompiledMapping;
let loop: CompiledMapping;
let tmp: TempMappings;
beforeAll(async () => {
  sale = (await loadMappings(path.join(REPO, 'mappings'))).byId('acme-pos.sale')!;
  tmp = tempMappings({
    'pos/loop.yaml': `
id: loop
answers: { soap: { service: S, operation: Loop } }
key: "( $f := function($n) { $f($n + 1) }; $f(0) )"
reply: { Result: "$outcome" }
`,
  });
  loop = (await loadMappings(tmp.dir)).byId('loop')!; // default limits
});
afterAll(() => tmp?.remove());

const message = (i: number) => ({
  TerminalId: 'T-1', ReceiptNo: `R-${i}`, OperatorId: 'op', Amount: '12.50', Currency: 'USD',
  Items: { Item: [{ Name: 'Coffee', Quantity: '1', UnitPrice: '12.50', Sku: 'C-1' }] },
});
const approved = (i: number): CallResult => ({
  outcome: 'APPROVED',
  transaction: {
    TransactionNumber: `tn-${i}`, status: 5, amount: '12.50', currency: 'USD',
    confirmations: [{ confirmationNumber: `063-${i}`, cardType: 'VISA', lastFourDigits: '4242' }],
  },
  response: undefined, original: undefined, error: undefined,
});

describe('expression guard under load', () => {
  it(`${COUNT} concurrent approvals through the real Sale reply mapping: every one renders, none faults`, { timeout: 120_000 }, async () => {
    const identity = { name: 'till-1', method: 'basic' as const };
    const started = Date.now();
    const runaway = loop.key({ message: {}, identity: anonymous }).then(() => 'no error', (e: unknown) => (e as { code?: string }).code);
    const built = await Promise.all(Array.from({ length: COUNT }, (_, i) => sale.reply({ message: message(i), identity }, approved(i)).then(
      (r) => r,
      (e: unknown) => ({ kind: 'error' as const, code: (e as { code?: string }).code }),
    )));
    const elapsed = Date.now() - started;
    expect(await runaway).toBe('GW_MAP_EXPRESSION_FAILED');
    const bad = built.filter((b) => b.kind !== 'reply');
    expect({ bad: bad.length, first: bad[0] }).toEqual({ bad: 0, first: undefined });
    built.forEach((b, i) => {
      expect(b.kind === 'reply' && b.value.AuthCode).toBe(`063-${i}`);
      expect(b.kind === 'reply' && b.value.Amount).toBe('12.50');
    });
    // The failure mode needs an overlap longer than the old 250 ms wall-clock budget; the burst must really provide it.
    expect(elapsed).toBeGreaterThan(250);
  });
});
