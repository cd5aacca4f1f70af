// Start-up validation: every problem in every mapping file, each with file:line:col and what to write instead.
import { readdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { checkMappings, formatProblem, loadMappings } from '../../src/exchange/map/index.js';
import { ACME_OPS, tempMappings, type TempMappings } from './temp-mappings.js';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

// Line numbers below are 1-based positions in this text; keep them in step when editing.
const BROKEN = `id: pos.sale
answers: { soap: { service: AcmePaymentService, operation: Sael } }
key: "$key(TerminalId, ReceiptNo)"
call:
  sensepass: POST /transactions/init
  body:
    amount: "$number(Amount) * 100"
    isCent: true
    currency: Currency
    deviceId: "'abc'"
awiat: { until: final, deadline: 110s }
reply:
  Result: "$outcome"
  Amount: "$decimal(transaction.amount"
  Code: "$cent(Amount)"
faults: { DECLIEND: GW_PAYMENT_DECLINED, UNKNOWN: GW_OUTCOME_UNKNWON }
`;
const SECOND = `id: pos.refund
answers: { soap: { service: AcmePaymentService, operation: Refund } }
call: { sensepass: "POST /transactions/refund", body: { refundAmount: "Amount" } }
context: { cardToken: CardToken }
reply: { Result: "$outcome" }
`;

const temps: TempMappings[] = [];
afterAll(() => temps.forEach((t) => t.remove()));
const make = (files: Record<string, string>) => {
  const t = tempMappings(files);
  temps.push(t);
  return t;
};

describe('mapping validation', () => {
  it('reports every problem of every file at once, each with file:line:col', async () => {
    const t = make({ 'pos/sale.yaml': BROKEN, 'pos/refund.yaml': SECOND });
    const { registry, problems } = await checkMappings(t.dir, { knownOperations: ACME_OPS });
    expect(registry).toBeUndefined();
    const lines = problems.map((p) => formatProblem(p, t.dir));
    const expectLine = (prefix: string, text: string | RegExp) => {
      const hit = lines.find((l) => l.startsWith(prefix) && (typeof text === 'string' ? l.includes(text) : text.test(l)));
      expect(hit, `${prefix} … ${String(text)}\nin:\n${lines.join('\n')}`).toBeDefined();
    };
    expectLine('pos/sale.yaml:2:60: error:', 'has no operation "Sael" (did you mean "Sale"?)');
    expectLine('pos/sale.yaml:7:13: error:', 'must be converted with $cents');
    expectLine('pos/sale.yaml:10:5: error:', 'credentials come from the gateway config');
    expectLine('pos/sale.yaml:11:1: error:', 'unknown key "awiat" (did you mean "await"?)');
    expectLine('pos/sale.yaml:14:', /reply\.Amount: expression syntax error at character \d+/);
    expectLine('pos/sale.yaml:15:10: error:', 'unknown function $cent (did you mean "$cents"?)');
    expectLine('pos/sale.yaml:16:11: error:', 'unknown outcome or error "DECLIEND" (did you mean "DECLINED"?)');
    expectLine('pos/sale.yaml:16:51: error:', '"GW_OUTCOME_UNKNWON" is not an error code (did you mean "GW_OUTCOME_UNKNOWN"?)');
    expectLine('pos/refund.yaml:3:71: error:', 'call.body.refundAmount: a money field must be converted with $cents');
    expectLine('pos/refund.yaml:4:12: error:', 'context.cardToken: the journal keeps context in clear text');
    expect(problems.filter((p) => p.severity === 'error')).toHaveLength(12); // + 2 money calls without an outcome
  });

  it('points a syntax error at its column inside the expression', async () => {
    const t = make({ 'p/a.yaml': 'id: a\nanswers: { xml: { path: /x, root: A } }\nreply:\n  X: "1 + (2 * "\n' });
    const { problems } = await checkMappings(t.dir);
    expect(problems.map((p) => formatProblem(p, t.dir))).toEqual([
      expect.stringMatching(/^p\/a\.yaml:4:\d+: error: reply\.X: expression syntax error at character \d+/),
    ]);
    const col = problems[0]?.col ?? 0;
    expect(col).toBeGreaterThan(6); // inside the quoted expression, not at the key
  });

  it('loadMappings throws GW_MAPPING_INVALID listing every error', async () => {
    const t = make({ 'pos/sale.yaml': BROKEN, 'pos/refund.yaml': SECOND });
    const err = await loadMappings(t.dir, { knownOperations: ACME_OPS }).catch((e: unknown) => e);
    expect(isGatewayError(err, 'GW_MAPPING_INVALID')).toBe(true);
    const detail = String((err as { params: { detail: string } }).params.detail);
    expect(detail).toMatch(/^12 problem\(s\):/);
    expect(detail).toContain('pos/sale.yaml:11:1:');
    expect(detail).toContain('pos/refund.yaml:4:12:');
  });

  it('reports YAML syntax errors, duplicate ids and two mappings for one operation', async () => {
    const ok = (id: string, op: string) => `id: ${id}\nanswers: { soap: { service: AcmePaymentService, operation: ${op} } }\nreply: { Result: "$outcome" }\n`;
    const t = make({ 'p/a.yaml': ok('x', 'Sale'), 'p/b.yaml': ok('x', 'Refund'), 'p/c.yaml': ok('y', 'Sale'), 'p/d.yaml': 'id: [unclosed\n' });
    const { problems } = await checkMappings(t.dir, { knownOperations: ACME_OPS });
    const lines = problems.map((p) => formatProblem(p, t.dir));
    expect(lines.some((l) => l.startsWith('p/b.yaml:1:5: error: id "x" is also used by'))).toBe(true);
    expect(lines.some((l) => l.startsWith('p/c.yaml:2:') && l.includes('one mapping per operation'))).toBe(true);
    expect(lines.some((l) => l.startsWith('p/d.yaml:'))).toBe(true);
  });

  it('warns (without failing) when a payment has no idempotency key or no await', async () => {
    const t = make({
      'p/pay.yaml': 'id: pay\nanswers: { xml: { path: /x, root: Pay } }\ncall:\n  sensepass: POST /transactions/init\n  body: { amount: "$cents(A, C)", isCent: true, currency: C }\noutcome: "\'PENDING\'"\nreply: { R: "$outcome" }\n',
    });
    const { registry, problems } = await checkMappings(t.dir);
    expect(registry).toBeDefined();
    expect(registry?.warnings().map((p) => p.message).join('\n')).toContain('a POS retry will create a second payment');
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(problems).toHaveLength(2);
  });

  it('requires isCent: true when /transactions/init sends an amount', async () => {
    const t = make({
      'p/pay.yaml': 'id: pay\nanswers: { xml: { path: /x, root: Pay } }\nkey: K\ncall:\n  sensepass: POST /transactions/init\n  body: { amount: "$cents(A, C)", currency: C }\nawait: { deadline: 10s }\nreply: { R: "$outcome" }\n',
    });
    const { problems } = await checkMappings(t.dir);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('needs isCent: true')]);
  });

  it('freezes compiled mappings', async () => {
    const { registry } = await checkMappings(path.join(REPO, 'mappings'));
    const m = registry?.byId('acme-pos.sale');
    expect(m).toBeDefined();
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(registry?.all())).toBe(true);
  });
});

describe('sensepass-gateway check (child process)', () => {
  const check = async (args: string[]) =>
    run(TSX, ['src/cli/main.ts', 'check', ...args], { cwd: REPO, env: { ...process.env, SPGW_CONFIG: '' } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('exits non-zero listing all problems of a broken mappings dir', async () => {
    const t = make({ 'acme-pos/sale.yaml': BROKEN, 'acme-pos/refund.yaml': SECOND });
    const r = await check(['--mappings', t.dir, '--wsdl', 'wsdl']);
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(14); // 10 shape problems + 2 missing required reply elements + 2 money calls without an outcome
    expect(r.stderr).toMatch(/acme-pos\/sale\.yaml:2:60: answers\.soap\.operation: service AcmePaymentService has no operation "Sael"/);
    expect(r.stderr).toContain('check failed');
  }, 60_000);

  it('passes on the repository (config, WSDL and the sample mappings)', async () => {
    const r = await check([]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(path.join(REPO, 'mappings'), { recursive: true }).filter((f) => String(f).endsWith('.yaml'));
    expect(r.stdout).toContain(`check passed: 1 WSDL service(s), ${files.length} mapping(s); 0 error(s), 0 warning(s)`);
  }, 60_000);
});
