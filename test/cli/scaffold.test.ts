// `sensepass-gateway scaffold`: one skeleton per operation listing every element; placeholders that the loader
// refuses until filled; a filled skeleton loads and plans a payment; nothing is overwritten without --force.
import { COMMANDS } from '../../src/cli/commands.js';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, type ParsedArgs } from '../../src/cli/args.js';
import type { CliIo } from '../../src/cli/check.js';
import { runOffline } from '../../src/cli/offline-run.js';
import { jsonataName } from '../../src/cli/scaffold-elements.js';
import { runScaffold } from '../../src/cli/scaffold.js';
import { checkMappings } from '../../src/exchange/map/index.js';
import { loadServices } from '../../src/ingress/wsdl-folders.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'spgw-scaffold-'));
  dirs.push(d);
  return d;
}

async function scaffold(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const parsed = parseArgs(argv, SCAFFOLD_SPEC);
  if ('error' in parsed) return { code: 2, out: '', err: `scaffold: ${parsed.error}` }; // as the CLI's main answers
  const args: ParsedArgs = parsed;
  let out = '';
  let err = '';
  const io: CliIo = { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`), cwd: REPO, env: {} };
  const code = await runScaffold(args, io);
  return { code, out, err };
}

const ACME_OPERATIONS = ['authorize', 'cancel', 'capture', 'credit', 'get-transaction-status', 'refund', 'release-authorization', 'sale', 'sale-with-token', 'tokenize'];

const SCAFFOLD_SPEC = (COMMANDS.find((c) => c.name === 'scaffold') as (typeof COMMANDS)[number]).spec;

describe('sensepass-gateway scaffold', () => {
  it('writes one skeleton per operation, listing every request and reply element with type and occurrence', async () => {
    const out = tempDir();
    const r = await scaffold(['wsdl/acme-pos', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(out, 'acme-pos')).sort()).toEqual(ACME_OPERATIONS.map((o) => `${o}.yaml`).sort());
    const sale = readFileSync(path.join(out, 'acme-pos', 'sale.yaml'), 'utf8');
    expect(sale).toContain('answers: { soap: { service: AcmePaymentService, operation: Sale } }');
    expect(sale).toContain('id: acme-pos.sale');
    expect(sale).toMatch(/^# Request <Sale>/m);
    expect(sale).toMatch(/^#   TerminalId +string \(TerminalId\) \[min length 1, max length 32\], required$/m);
    expect(sale).toMatch(/^#   OperatorId +string, optional$/m);
    expect(sale).toMatch(/^#     Items\.Item +complex \(LineItem\), 0\.\.unbounded: an array, even with one item$/m);
    expect(sale).toMatch(/^#       Items\.Item\.UnitPrice +decimal \(Money\) \[18 digits, 3 decimals, >= 0\], required$/m);
    expect(sale).toMatch(/^# Reply <SaleResponse>/m);
    expect(sale).toMatch(/^#   Result +string \(ResultType\) \[one of APPROVED\|DECLINED\|.*\], required$/m);
    expect(sale).toMatch(/^#   ResultCode +int, required$/m);
    expect(sale).toContain('sensepass: POST /transactions/init');
    expect(sale).toContain('amount: "$cents(Amount, Currency)"');
    // Every reply element has a line to fill.
    for (const el of ['Result', 'ResultCode', 'Message', 'TransactionId', 'AuthCode', 'Amount', 'Currency', 'CardType', 'CardLast4']) {
      expect(sale).toMatch(new RegExp(`^  ${el}: "\\$TODO\\('`, 'm'));
    }
    const refund = readFileSync(path.join(out, 'acme-pos', 'refund.yaml'), 'utf8');
    expect(refund).toContain('sensepass: POST /transactions/refund');
    expect(refund).toMatch(/^lookup: \{ key: "\$key\(\$TODO\(/m);
  });

  it('leaves placeholders the loader refuses one by one, and a filled skeleton loads and plans the payment', async () => {
    const out = tempDir();
    expect((await scaffold(['wsdl/acme-pos', '--out', out])).code).toBe(0);
    const services = await loadServices(path.join(REPO, 'wsdl'));
    const file = path.join(out, 'acme-pos', 'sale.yaml');
    const text = readFileSync(file, 'utf8');
    for (const op of ACME_OPERATIONS.filter((o) => o !== 'sale')) rmSync(path.join(out, 'acme-pos', `${op}.yaml`));

    const unfilled = await checkMappings(out, { knownOperations: services.knownOperations });
    expect(unfilled.registry).toBeUndefined();
    const todos = text.split('\n').filter((l) => !l.startsWith('#') && l.includes('$TODO(')).length;
    expect(unfilled.problems.map((p) => p.message)).toEqual(Array(todos).fill(expect.stringMatching(/: unknown function \$TODO$/)));
    for (const p of unfilled.problems) expect(text.split('\n')[p.line - 1]?.slice(p.col - 1)).toMatch(/^\$TODO\(/);

    const filled: Record<string, string> = {
      key: 'TerminalId, ReceiptNo',
      Result: '$outcome',
      ResultCode: "$outcome = 'APPROVED' ? 0 : 6",
      Message: "'Done'",
      TransactionId: 'transaction.TransactionNumber',
    };
    const lines = text.split('\n').flatMap((l) => {
      if (l.startsWith('#') || !l.includes('$TODO(')) return [l];
      const name = /^\s*(\w+):/.exec(l)?.[1] as string;
      const value = filled[name];
      if (value === undefined) return []; // an optional reply element the author leaves out
      return [l.replace(/\$TODO\('[^']*'\)/, value)];
    });
    writeFileSync(file, lines.join('\n'));
    const loaded = await checkMappings(out, { knownOperations: services.knownOperations });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const mapping = loaded.registry?.byId('acme-pos.sale');
    expect(mapping).toBeDefined();
    if (mapping === undefined) return;
    const input = { message: { TerminalId: 'T1', ReceiptNo: 'R-9', Amount: '12.50', Currency: 'USD' }, identity: { name: 'anonymous', method: 'none' } as const };
    const result = await runOffline(mapping, input, { upstream: { transaction: { TransactionNumber: 'a'.repeat(56), status: 5, amount: 12.5 } as never } });
    expect(result.key).toBe('T1/R-9');
    expect(result.plan?.call).toMatchObject({ method: 'POST', path: '/transactions/init', body: { amount: 1250, isCent: true, currency: 'USD' } });
    expect(result.reply).toMatchObject({ kind: 'reply', value: { Result: 'APPROVED', ResultCode: 0, TransactionId: 'a'.repeat(56) } });
  });

  it('never overwrites an existing file without --force, and writes nothing at all then', async () => {
    const out = tempDir();
    expect((await scaffold(['wsdl/acme-pos', '--out', out])).code).toBe(0);
    const sale = path.join(out, 'acme-pos', 'sale.yaml');
    const refund = path.join(out, 'acme-pos', 'refund.yaml');
    writeFileSync(sale, '# my work\n');
    rmSync(refund);
    const refused = await scaffold(['wsdl/acme-pos', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/9 file\(s\) already exist; nothing was written \(--force overwrites them\)/);
    expect(readFileSync(sale, 'utf8')).toBe('# my work\n');
    expect(existsSync(refund)).toBe(false);
    const forced = await scaffold(['wsdl/acme-pos', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(sale, 'utf8')).toContain('id: acme-pos.sale');
    expect(existsSync(refund)).toBe(true);
  });

  it('takes the wsdl/ root too (every pos-system folder), and reports an unreadable folder', async () => {
    const out = tempDir();
    const r = await scaffold(['wsdl', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(out, 'acme-pos'))).toHaveLength(ACME_OPERATIONS.length);
    const missing = await scaffold(['wsdl/nope', '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot be read');
    expect((await scaffold([])).code).toBe(2);
    const foreign = await scaffold(['wsdl', '--original', 'x.json']);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('unknown option --original');
  });

  it('writes names JSONata would misread (Order-Id is a subtraction) in backticks', () => {
    expect(jsonataName('TerminalId')).toBe('TerminalId');
    expect(jsonataName('Order-Id')).toBe('`Order-Id`');
    expect(jsonataName('pos.ref')).toBe('`pos.ref`');
  });

  it('answers --help with its options, through the real command line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/sensepass-gateway.js', 'scaffold', '--help'], { cwd: REPO });
    expect(stdout).toContain('usage: sensepass-gateway scaffold <wsdl-dir> [options]');
    expect(stdout).toMatch(/--out <dir> +mappings directory/);
    expect(stdout).toMatch(/--force +overwrite/);
  });
});
