// Mapping language: `let:` values shared by every expression, $minor for amounts already in minor units, and a
// per-mapping default currency — all exact integer money, never float arithmetic.
import { afterAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { checkMappings, formatProblem, loadMappings } from '../../src/exchange/map/index.js';
import { minorUnits } from '../../src/exchange/map/money.js';
import { anonymous, tempMappings, type TempMappings } from './temp-mappings.js';

const temps: TempMappings[] = [];
afterAll(() => temps.forEach((t) => t.remove()));
const make = (files: Record<string, string>) => {
  const t = tempMappings(files);
  temps.push(t);
  return t;
};
const replace = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
};
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isGatewayError(e) ? e.code : String(e)));

const PAY = `id: t.pay
answers: { xml: { path: /xml/t, root: Pay } }
currency: EUR
let:
  amount: "$minor(AmountMinor)"
  ref: "$key(Till, Receipt)"
  label: "'till ' & $ref"
key: "$ref"
call:
  sensepass: POST /transactions/init
  body: { amount: "$amount", isCent: true, currency: "$currency", reason: "$label" }
await: { until: final, deadline: 10s }
reply:
  Result: "$outcome"
  Ref: "$ref"
  Amount: "$decimal($amount)"
  Shown: "$decimal(transaction.amount)"
errors:                               # stands alone: nothing of reply: is in it unless written here
  Result: "'ERROR'"
  Why: "$error.code"
  Amount: "$decimal($amount)"
  Ref: "$ref"
`;

describe('$minor', () => {
  it('takes whole minor units as text or integer and returns an integer', () => {
    expect(minorUnits('1250')).toBe(1250);
    expect(minorUnits('0')).toBe(0);
    expect(minorUnits(1250)).toBe(1250);
    expect(minorUnits(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses anything that is not a whole, non-negative number of minor units (never guesses major units)', () => {
    for (const bad of ['12.50', '12.', '1e3', '-5', '+5', ' 12', '12 ', '', '0x10', '9007199254740992', 12.5, -1, NaN, Infinity, null, true, {}]) {
      let code = 'none';
      try {
        minorUnits(bad);
      } catch (e) {
        code = isGatewayError(e) ? e.code : 'other';
      }
      expect(code, `minorUnits(${JSON.stringify(bad)})`).toBe('GW_MAP_INVALID_AMOUNT');
    }
  });
});

describe('let: and currency:', () => {
  it('let values are computed in order and seen by the key, the call and the reply; $currency is the default currency', async () => {
    const t = make({ 't/pay.yaml': PAY });
    const m = (await loadMappings(t.dir)).byId('t.pay')!;
    const input = { message: { Till: 'T1', Receipt: 'R9', AmountMinor: '1250' }, identity: anonymous };
    expect(await m.key(input)).toBe('T1/R9');
    const plan = await m.plan(input, undefined);
    expect(plan.call?.body).toEqual({ amount: 1250, isCent: true, currency: 'EUR', reason: 'till T1/R9' });
    const reply = await m.reply(input, {
      outcome: 'APPROVED', transaction: { TransactionNumber: 'a'.repeat(56), status: 5, amount: '12.5' }, response: undefined, original: undefined, error: undefined,
    });
    expect(reply).toEqual({ kind: 'reply', outcome: 'APPROVED', value: { Result: 'APPROVED', Ref: 'T1/R9', Amount: '12.50', Shown: '12.50' } });
  });

  it('each step computes only the let values it reads: a reply-only value never runs (or fails) while building the key', async () => {
    const withTxn = replace(PAY, '  label: "\'till \' & $ref"\n', '  label: "\'till \' & $ref"\n  txn: "$required(transaction.TransactionNumber, \'transaction\')"\n');
    const t = make({ 't/pay.yaml': replace(withTxn, '  Shown: "$decimal(transaction.amount)"\n', '  Shown: "$decimal(transaction.amount)"\n  Txn: "$txn"\n') });
    const m = (await loadMappings(t.dir)).byId('t.pay')!;
    const input = { message: { Till: 'T1', Receipt: 'R9', AmountMinor: '1250' }, identity: anonymous };
    expect(await m.key(input)).toBe('T1/R9');
    expect((await m.plan(input, undefined)).call?.body).toMatchObject({ amount: 1250 });
    const reply = await m.reply(input, { outcome: 'APPROVED', transaction: { TransactionNumber: 'b'.repeat(56), status: 5, amount: '12.5' }, response: undefined, original: undefined, error: undefined });
    expect(reply.kind === 'reply' ? reply.value.Txn : undefined).toBe('b'.repeat(56));
  });

  it('a bad minor-unit amount is refused before any call; the errors: reply still renders (the failing let is left out)', async () => {
    const t = make({ 't/pay.yaml': PAY });
    const m = (await loadMappings(t.dir)).byId('t.pay')!;
    const input = { message: { Till: 'T1', Receipt: 'R9', AmountMinor: '12.50' }, identity: anonymous };
    expect(await codeOf(m.plan(input, undefined))).toBe('GW_MAP_INVALID_AMOUNT');
    const { gwError } = await import('../../src/errors.js');
    const error = gwError('GW_MAP_INVALID_AMOUNT', { detail: 'x' });
    const viaReply = await m.reply(input, { outcome: undefined, transaction: undefined, response: undefined, original: undefined, error });
    expect(viaReply).toEqual({ kind: 'reply', outcome: undefined, value: { Result: 'ERROR', Why: 'GW_MAP_INVALID_AMOUNT', Ref: 'T1/R9' } });
    expect(await m.errorReply?.(input, error)).toEqual({ Result: 'ERROR', Why: 'GW_MAP_INVALID_AMOUNT', Ref: 'T1/R9' });
    // Before the request could be read (e.g. a schema violation), no request fields are there at all.
    expect(await m.errorReply?.(undefined, gwError('GW_SCHEMA_VIOLATION', { detail: 'x' }))).toEqual({ Result: 'ERROR', Why: 'GW_SCHEMA_VIOLATION' });
  });

  it('codes the mapping itself answers with (faults:) stay faults even with errors:', async () => {
    const t = make({ 't/pay.yaml': `${PAY}faults:\n  UNKNOWN: GW_OUTCOME_UNKNOWN\n` });
    const m = (await loadMappings(t.dir)).byId('t.pay')!;
    const { gwError } = await import('../../src/errors.js');
    expect(await m.errorReply?.(undefined, gwError('GW_OUTCOME_UNKNOWN'))).toBeUndefined();
    expect(await m.errorReply?.(undefined, gwError('GW_SERVER_BUSY'))).toEqual({ Result: 'ERROR', Why: 'GW_SERVER_BUSY' });
  });

  it('reports let and currency mistakes with their position', async () => {
    const broken = `id: t.bad
answers: { xml: { path: /xml/t, root: Bad } }
currency: USDD
let:
  total: "$net + 1"
  net: "$minor(Net)"
  outcome: "'x'"
  2fast: "1"
call:
  sensepass: POST /transactions/init
  body: { amount: "$total2", isCent: true }
await: { until: final, deadline: 10s }
reply: { R: "$outcome" }
`;
    const t = make({ 't/bad.yaml': broken });
    const { problems } = await checkMappings(t.dir);
    const lines = problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p, t.dir));
    expect(lines).toEqual([
      't/bad.yaml:5:10: error: let.total: reads $net, which is defined below it; a let entry can only use the ones above it',
      't/bad.yaml:7:3: error: let.outcome: $outcome is already a helper or variable of every mapping; choose another name',
      't/bad.yaml:8:3: error: let.2fast: a name is a letter followed by letters, digits or "_", e.g. amount',
      't/bad.yaml:3:11: error: currency: "USDD" is not a supported currency (did you mean "USD"?)',
      't/bad.yaml:11:19: error: call.body.amount: unknown variable $total2 (did you mean "$total"?)',
      't/bad.yaml:11:19: error: call.body.amount: a money field must be converted with $cents (or $minor for amounts already in minor units) so it is exact integer minor units; write e.g. amount: "$cents(Amount, Currency)"',
    ]);
  });
});
