// Issue 3 acceptance: a broken mapping stops start-up (not only `check`), naming the file and position, before
// anything listens.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'spgw-broken-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SPGW_SERVER__HOST: '127.0.0.1', SPGW_SERVER__PORT: '0', SPGW_ADMIN__PORT: '0', SPGW_SIMULATOR__PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('start-up with a broken mapping', () => {
  it('exits non-zero naming every problem with file:line:col, and never listens', async () => {
    const mappings = path.join(dir, 'mappings');
    cpSync(path.join(ROOT, 'mappings'), mappings, { recursive: true });
    const sale = path.join(mappings, 'acme-pos', 'sale.yaml');
    const text = readFileSync(sale, 'utf8')
      .replace('operation: Sale }', 'operation: Sael }') // operation missing from the WSDL
      .replace('amount: "$cents(Amount, Currency)"\n    isCent', 'amount: "Amount"\n    isCent') // money without $cents
      .replace('await: {', 'awiat: {'); // unknown key
    writeFileSync(sale, text);
    const r = await run({ SPGW_PATHS__MAPPINGS: mappings, SPGW_PATHS__DATA: path.join(dir, 'data') });
    expect(r.code).toBe(1);
    expect(r.out).toContain('GW_MAPPING_INVALID');
    expect(r.out).toMatch(/acme-pos\/sale\.yaml:\d+:\d+: error: answers\.soap\.operation: service AcmePaymentService has no operation "Sael"/);
    expect(r.out).toMatch(/acme-pos\/sale\.yaml:\d+:\d+: error: mapping: unknown key "awiat" \(did you mean "await"\?\)/);
    expect(r.out).toMatch(/acme-pos\/sale\.yaml:\d+:\d+: error: call\.body\.amount: a money field must be converted with \$cents/);
    expect(r.out).not.toContain('gateway listening');
  }, 30_000);

  it('a reply that does not fit the WSDL stops start-up too (wrong case, 56-hex number into an int)', async () => {
    const mappings = path.join(dir, 'mappings-contract');
    cpSync(path.join(ROOT, 'mappings'), mappings, { recursive: true });
    const refund = path.join(mappings, 'acme-pos', 'refund.yaml');
    const text = readFileSync(refund, 'utf8')
      .replace('  RefundReference: response.refundConfirmation', '  refundReference: response.refundConfirmation')
      .replace(`  ResultCode: "$lookup({'APPROVED': 0, 'DECLINED': 6}, $outcome)"`, '  ResultCode: original.transactionNumber');
    writeFileSync(refund, text);
    const r = await run({ SPGW_PATHS__MAPPINGS: mappings, SPGW_PATHS__DATA: path.join(dir, 'data-contract') });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/acme-pos\/refund\.yaml:\d+:\d+: error: reply: RefundResponse has no element \\?"refundReference\\?"; element names are case-sensitive: write RefundReference/);
    expect(r.out).toMatch(/acme-pos\/refund\.yaml:\d+:\d+: error: reply\.ResultCode: original\.transactionNumber \(a 56-character hex string\) does not fit ResultCode \(xs:int\)/);
    expect(r.out).not.toContain('gateway listening');
  }, 30_000);
});
