// Every mapping mistake caught before money moves: `check` compares each SOAP mapping with the WSDL it answers and
// rejects each mistake class with file:line:col and what to write instead (test/map/fixtures/till-wsdl is the contract).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMappings, formatProblem } from '../../src/exchange/map/index.js';
import { loadServices, type LoadedServices } from '../../src/ingress/wsdl-folders.js';
import { tempMappings, type TempMappings } from './temp-mappings.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const TILL_WSDL = path.join(REPO, 'test/map/fixtures/till-wsdl');
const run = promisify(execFile);

// A correct Pay mapping; each case below changes one thing. Line numbers are 1-based positions in this text.
const PAY = `id: till.pay
answers: { soap: { service: TillService, operation: Pay } }
key: "$key(TillId, Reference)"
call:
  sensepass: POST /transactions/init
  body: { amount: "$minor(AmountMinor)", isCent: true, currency: "'USD'", timeOut: 60 }
await: { until: final, deadline: 10s }
reply:
  ResultCode: "$outcome = 'APPROVED' ? 0 : 5"
  Status: "$outcome = 'APPROVED' ? 'OK' : 'DECLINED'"
  ApprovalCode: "transaction.confirmations[0].confirmationNumber"
  Amount: "$decimal(transaction.amount)"
`;
const REFUND = `id: till.refund
answers: { soap: { service: TillService, operation: Refund } }
key: "$key(TillId, Reference)"
lookup: { key: "$key(TillId, OriginalReference)", required: true }
call:
  sensepass: POST /transactions/refund
  body: { transactionNumber: original.transactionNumber }
outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'"
reply:
  ResultCode: "$outcome = 'APPROVED' ? 0 : 5"
  Status: "$outcome = 'APPROVED' ? 'OK' : 'DECLINED'"
`;

let services: LoadedServices;
const temps: TempMappings[] = [];
beforeAll(async () => {
  services = await loadServices(TILL_WSDL);
  expect(services.problems).toEqual([]);
});
afterAll(() => temps.forEach((t) => t.remove()));

/** Errors of `check` on one mapping file (till/case.yaml), as `check` prints them: file:line:col: error: message. */
async function errorsOf(text: string, name = 'case.yaml'): Promise<string[]> {
  const t = tempMappings({ [`till/${name}`]: text });
  temps.push(t);
  const { problems } = await checkMappings(t.dir, { soapServices: services.byFolder });
  return problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p, t.dir));
}

const replace = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
};

describe('check against the WSDL', () => {
  it('passes the correct mappings, and the sample mappings of the repository with 0 errors and 0 warnings', async () => {
    expect(await errorsOf(PAY)).toEqual([]);
    expect(await errorsOf(REFUND)).toEqual([]);
    const repoServices = await loadServices(path.join(REPO, 'wsdl'));
    const { problems } = await checkMappings(path.join(REPO, 'mappings'), { soapServices: repoServices.byFolder });
    expect(problems.map((p) => formatProblem(p))).toEqual([]);
  });

  it('unknown reply element → did you mean', async () => {
    const errors = await errorsOf(replace(PAY, '  ApprovalCode:', '  ApprovalCod:'));
    expect(errors).toEqual(['till/case.yaml:11:3: error: reply: PayResponse has no element "ApprovalCod" (did you mean "ApprovalCode"?)']);
  });

  it('wrong case (TimeStamp for timeStamp) → the exact spelling', async () => {
    const errors = await errorsOf(`${PAY}  TimeStamp: "transaction.date"\n`);
    expect(errors).toEqual(['till/case.yaml:13:3: error: reply: PayResponse has no element "TimeStamp"; element names are case-sensitive: write timeStamp']);
  });

  it('missing required reply element → which one and how to add it', async () => {
    const errors = await errorsOf(replace(PAY, `  Status: "$outcome = 'APPROVED' ? 'OK' : 'DECLINED'"\n`, ''));
    expect(errors).toEqual([
      `till/case.yaml:8:1: error: reply: PayResponse requires element Status (Status, based on xs:string), which is never produced; add Status: "'OK'"`,
    ]);
  });

  it('a required element whose expression can give nothing (condition without else) → add the else branch', async () => {
    const errors = await errorsOf(replace(PAY, `Status: "$outcome = 'APPROVED' ? 'OK' : 'DECLINED'"`, `Status: "$outcome = 'APPROVED' ? 'OK'"`));
    expect(errors).toEqual([
      'till/case.yaml:10:11: error: reply.Status: Status is required, but this expression gives nothing when its condition is false; add an else branch ("condition ? a : b")',
    ]);
  });

  it('a 56-hex TransactionNumber into an xs:long element → map it to text', async () => {
    const errors = await errorsOf(`${PAY}  TransactionRef: transaction.TransactionNumber\n`);
    expect(errors).toEqual([
      'till/case.yaml:13:19: error: reply.TransactionRef: transaction.TransactionNumber (a 56-character hex string) does not fit TransactionRef (xs:long): it is not a valid long; map it to a text element (xs:string), or leave it out',
    ]);
  });

  it('$decimal into an xs:int element → $cents', async () => {
    const errors = await errorsOf(replace(PAY, `ResultCode: "$outcome = 'APPROVED' ? 0 : 5"`, 'ResultCode: "$decimal(transaction.amount)"'));
    expect(errors).toEqual([
      'till/case.yaml:9:15: error: reply.ResultCode: $decimal(…) (a decimal string like 12.50) does not fit ResultCode (xs:int): it is not a valid int; for an integer element in minor units write $cents(…) instead',
    ]);
  });

  it('literal values that do not fit the XSD type: a number, a text in an expression, a value outside the enumeration', async () => {
    const errors = await errorsOf(
      replace(replace(PAY, `ResultCode: "$outcome = 'APPROVED' ? 0 : 5"`, 'ResultCode: 1.5'), `? 'OK' : 'DECLINED'`, `? 'OK' : 'DENIED'`) +
        `when:\n  DECLINED: { ResultCode: "'five'" }\n`,
    );
    expect(errors).toEqual([
      `till/case.yaml:14:27: error: when.DECLINED.ResultCode: the text 'five' does not fit ResultCode (xs:int): it is not a valid int; write a value the element accepts`,
      'till/case.yaml:9:15: error: reply.ResultCode: 1.5 cannot be written as int from a number (ResultCode is xs:int); write a value the element accepts',
      `till/case.yaml:10:11: error: reply.Status: the text 'DENIED' does not fit Status (Status, based on xs:string): it is not one of the allowed values; allowed values: OK, DECLINED, ERROR`,
    ]);
  });

  it('a refund (money-moving call) without an outcome → add one', async () => {
    const errors = await errorsOf(replace(REFUND, `outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'"\n`, ''));
    expect(errors).toEqual([
      `till/case.yaml:5:1: error: call: POST /transactions/refund moves money but the mapping has no "outcome", so the POS would be answered without knowing whether it happened; add outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'" (or await: { until: final, deadline: 110s } for /transactions/init)`,
    ]);
    // A void and a cancel move (or release) money too; a GET does not.
    const voidCall = replace(replace(REFUND, 'POST /transactions/refund', 'POST /transactions/void'), `outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'"\n`, '');
    expect((await errorsOf(voidCall)).join('\n')).toContain('POST /transactions/void moves money');
    const cancel = replace(replace(REFUND, 'sensepass: POST /transactions/refund', 'sensepass: "POST /transactions/cancel/{original.transactionNumber}"'), `outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'"\n`, '');
    expect((await errorsOf(cancel.replace(/  body: .*\n/, ''))).join('\n')).toContain('POST /transactions/cancel/{} moves money');
  });

  it('when-keys that can never fire: GW_IDEMPOTENCY_CONFLICT without a key, codes raised before routing, outcome-only codes', async () => {
    const noKey = replace(REFUND, 'key: "$key(TillId, Reference)"\n', '') +
      `when:\n  GW_IDEMPOTENCY_CONFLICT: { ResultCode: 98 }\n  GW_ROUTE_UNKNOWN_OPERATION: { ResultCode: 97 }\n  GW_PAYMENT_DECLINED: { ResultCode: 5 }\n`;
    expect(await errorsOf(noKey)).toEqual([
      'till/case.yaml:12:3: error: when.GW_IDEMPOTENCY_CONFLICT: can never fire for this mapping: the mapping has no "key", so no request can conflict with an earlier one; add a key or remove this entry',
      'till/case.yaml:13:3: error: when.GW_ROUTE_UNKNOWN_OPERATION: can never fire for this mapping: it is raised before the operation is known, so no mapping can answer it',
      'till/case.yaml:14:3: error: when.GW_PAYMENT_DECLINED: can never fire for this mapping: the gateway never raises it for a mapping to catch; use the outcomes DECLINED, FAILED, CANCELLED or TIMED_OUT as keys',
    ]);
    // With a key, a conflict is answered by the mapping (contract-shaped errors), and so is a schema violation.
    expect(await errorsOf(`${REFUND}when:\n  GW_IDEMPOTENCY_CONFLICT: { ResultCode: 98 }\n  GW_SCHEMA_VIOLATION: { ResultCode: 99 }\n`)).toEqual([]);
  });

  it('GW_SCHEMA_VIOLATION cannot fire for a plain-XML mapping (no schema there)', async () => {
    const xml = 'id: x.status\nanswers: { xml: { path: /xml/x, root: Status } }\nreply: { Status: "\'OK\'" }\nwhen:\n  GW_SCHEMA_VIOLATION: { Status: "\'ERROR\'" }\n';
    expect(await errorsOf(xml)).toEqual([
      'till/case.yaml:5:3: error: when.GW_SCHEMA_VIOLATION: can never fire for this mapping: plain XML requests are not checked against a schema; remove this key',
    ]);
  });

  it('fault params that the fault never shows → the placeholders it has', async () => {
    const errors = await errorsOf(`${PAY}faults:\n  DECLINED: { code: GW_PAYMENT_DECLINED, params: { outcom: "$outcome" } }\n`);
    expect(errors).toEqual([
      'till/case.yaml:14:52: error: faults.DECLINED.params: "outcom" is never shown in the fault: GW_PAYMENT_DECLINED\'s message shows only {outcome} (did you mean "outcome"?)',
    ]);
  });

  it('errors: and when: trees are checked like the reply (names, types)', async () => {
    const errors = await errorsOf(`${PAY}errors:\n  ResultCode: "'x'"\n  Eror: "$error.message"\n`);
    expect(errors).toEqual([
      "till/case.yaml:14:15: error: errors.ResultCode: the text 'x' does not fit ResultCode (xs:int): it is not a valid int; write a value the element accepts",
      'till/case.yaml:15:3: error: errors: PayResponse has no element "Eror" (its elements: ResultCode, Status, timeStamp, TransactionRef, ApprovalCode, Amount, ErrorText)',
      // errors: stands alone (not overlaid on reply), so it must produce every required element itself.
      `till/case.yaml:13:1: error: errors: PayResponse requires element Status (Status, based on xs:string), which is never produced; add Status: "'OK'"`,
    ]);
  });
});

describe('sensepass-gateway check and try (child process) apply these checks', () => {
  const cli = async (args: string[]) =>
    run(path.join(REPO, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], { cwd: REPO, env: { ...process.env, SPGW_CONFIG: '' } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('check exits 1 with file:line:col and the fix; try refuses to run the same broken mapping', async () => {
    const t = tempMappings({ 'till/pay.yaml': `${PAY}  TimeStamp: "transaction.date"\n  TransactionRef: transaction.TransactionNumber\n` });
    temps.push(t);
    const r = await cli(['check', '--mappings', t.dir, '--wsdl', 'test/map/fixtures/till-wsdl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${t.dir}/till/pay.yaml:13:3: reply: PayResponse has no element "TimeStamp"; element names are case-sensitive: write timeStamp`);
    expect(r.stderr).toContain(`error: ${t.dir}/till/pay.yaml:14:19: reply.TransactionRef: transaction.TransactionNumber (a 56-character hex string) does not fit`);
    expect(r.stderr).toContain('check failed: 1 WSDL service(s), 0 mapping(s); 2 error(s)');
    const tried = await cli(['try', 'till.pay', 'test/map/fixtures/till-pay-request.xml', '--mappings', t.dir, '--wsdl', 'test/map/fixtures/till-wsdl']);
    expect(tried.code).toBe(1);
    expect(tried.stderr).toContain('till/pay.yaml:13:3: error: reply: PayResponse has no element "TimeStamp"');
  }, 60_000);
});
