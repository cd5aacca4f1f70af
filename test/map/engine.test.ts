// The compiled-mapping contract on plain objects: key, lookup, plan and reply, secrets kept out of reach.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gwError, isGatewayError } from '../../src/errors.js';
import type { Exchange } from '../../src/exchange/exchange.js';
import { loadMappings, type CallResult, type MappingRegistry } from '../../src/exchange/map/index.js';
import { loadSoapService } from '../../src/ingress/wsdl-service.js';
import { tempMappings, type TempMappings } from './temp-mappings.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const SECRET = 'device-secret-0123456789abcdef';

const PAY = `
id: t.pay
answers: { xml: { path: /xml/t, root: Pay } }
key: "$key(Terminal, Receipt)"
lookup: { key: "$key(Terminal, Original)", required: false }
call:
  sensepass: "POST /transactions/{Receipt}/readyForPayment"
  body:
    amount: "$cents(Amount, Currency)"
    note: "$exists(original) ? 'has original' : 'no original'"
    empty: Missing
    list: ["Receipt", 7, null]
context: { receipt: Receipt, amount: "$cents(Amount, Currency)" }
reply:
  Result: "$outcome"
  Cred: "$credentials().kind"
  Shadow: "transaction.TransactionNumber"
  Raw: "$request.transaction"
  Who: "$identity.name"
  Gone: "'base value'"
when:
  DECLINED: { Message: "'declined'", Gone: null }
  GW_UPSTREAM_TIMEOUT: { Result: "'UNKNOWN'", Code: "$error.code" }
faults:
  FAILED: GW_PAYMENT_DECLINED
  CANCELLED: { code: GW_MAP_REJECTED, params: { detail: "'cancelled by ' & $identity.name" } }
  GW_UPSTREAM_AUTH: GW_UPSTREAM_UNAVAILABLE
`;
const STRICT = `
id: t.strict
answers: { xml: { path: /xml/t, root: Strict } }
lookup: { key: "$key(Terminal, Original)", required: true }
call: { sensepass: "GET /transactions/{original.transactionNumber}" }
outcome: "$outcomeOf(response.status)"
reply: { Result: "$outcome", Boom: "$number('not a number') + Missing.x" }
`;

let tmp: TempMappings;
let registry: MappingRegistry;
beforeAll(async () => {
  tmp = tempMappings({ 't/pay.yaml': PAY, 't/strict.yaml': STRICT });
  registry = await loadMappings(tmp.dir, { credentialsFor: () => ({ deviceId: SECRET }) });
});
afterAll(() => tmp.remove());

const input = (message: Record<string, unknown>) => ({ message, identity: { name: 'till-1', method: 'basic' as const } });
const result = (over: Partial<CallResult>): CallResult => ({ outcome: undefined, transaction: undefined, response: undefined, original: undefined, error: undefined, ...over });
const original: Exchange = {
  id: 'x1', scope: 'till-1', key: 'T/R0', mappingId: 't.pay', payloadHash: 'h', state: 'DELIVERED', transactionNumber: 'tn/1',
  outcome: 'APPROVED', deadlineAt: 0, createdAt: 0, updatedAt: 0, context: { amount: 100 },
};
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isGatewayError(e) ? e.code : 'not a catalogue error'));

describe('compiled mapping', () => {
  const pay = () => registry.forXml('/xml/t', 'Pay')!;
  const msg = { Terminal: 'T', Receipt: 'R/1', Amount: '12.50', Currency: 'USD', transaction: 'posted by the POS' };

  it('is found by what it answers, and reports its shape', () => {
    expect(pay().id).toBe('t.pay');
    expect(pay().posSystem).toBe('t');
    expect(registry.forXml('/xml/t', 'Nope')).toBeUndefined();
    expect(registry.forSoap('S', 'Pay')).toBeUndefined();
    expect(pay().createsPayment).toBe(false);
  });

  it('computes the key and the lookup key; a missing key part is refused, not collapsed', async () => {
    expect(await pay().key(input(msg))).toBe('T/R/1');
    expect(await pay().lookupKey(input({ ...msg, Original: 'R0' }))).toEqual({ key: 'T/R0', required: false });
    expect(await codeOf(pay().key(input({ Terminal: 'T' })))).toBe('GW_MAP_MISSING_VALUE');
  });

  it('plans the call: path parameters encoded, undefined and null leaves left out, money in minor units', async () => {
    const plan = await pay().plan(input(msg), undefined);
    expect(plan.call).toEqual({
      method: 'POST',
      path: '/transactions/R%2F1/readyForPayment',
      body: { amount: 1250, note: 'no original', list: ['R/1', 7] },
    });
    expect(plan.context).toEqual({ receipt: 'R/1', amount: 1250 });
    expect(plan.await).toBeUndefined();
    expect((await pay().plan(input(msg), original)).call?.body?.note).toBe('has original');
    expect(await codeOf(pay().plan(input({ ...msg, Amount: '1e3' }), undefined))).toBe('GW_MAP_INVALID_AMOUNT');
  });

  it('refuses a required original that is missing with GW_MAP_ORIGINAL_NOT_FOUND naming the reference', async () => {
    const strict = registry.byId('t.strict')!;
    const err = await strict.plan(input({ Terminal: 'T', Original: 'R9' }), undefined).catch((e: unknown) => e);
    expect(isGatewayError(err, 'GW_MAP_ORIGINAL_NOT_FOUND')).toBe(true);
    expect((err as { params: Record<string, unknown> }).params).toEqual({ reference: 'T/R9' });
    const plan = await strict.plan(input({ Terminal: 'T', Original: 'R0' }), original);
    expect(plan.call).toEqual({ method: 'GET', path: '/transactions/tn%2F1' });
  });

  it('builds the reply: reserved names shadow request fields, $credentials() gives the kind only', async () => {
    const r = await pay().reply(input(msg), result({ outcome: 'APPROVED', transaction: { TransactionNumber: 'tn9', status: 5 } }));
    expect(r).toEqual({
      kind: 'reply',
      outcome: 'APPROVED',
      value: { Result: 'APPROVED', Cred: 'deviceId', Shadow: 'tn9', Raw: 'posted by the POS', Who: 'till-1', Gone: 'base value' },
    });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('overlays per-outcome replies (null removes an element) and turns listed outcomes into faults', async () => {
    const declined = await pay().reply(input(msg), result({ outcome: 'DECLINED' }));
    expect(declined).toMatchObject({ kind: 'reply', value: { Result: 'DECLINED', Message: 'declined' } });
    expect(declined.kind === 'reply' && 'Gone' in declined.value).toBe(false);
    expect(await pay().reply(input(msg), result({ outcome: 'FAILED' }))).toEqual({ kind: 'fault', code: 'GW_PAYMENT_DECLINED', params: { outcome: 'FAILED' } });
    expect(await pay().reply(input(msg), result({ outcome: 'CANCELLED' }))).toEqual({ kind: 'fault', code: 'GW_MAP_REJECTED', params: { detail: 'cancelled by till-1' } });
  });

  it('derives the outcome from a final transaction when the exchange gives none', async () => {
    const r = await pay().reply(input(msg), result({ transaction: { TransactionNumber: 'tn', status: 6 } }));
    expect(r).toMatchObject({ kind: 'reply', outcome: 'DECLINED' });
  });

  it('lets the mapping decide about errors: reply, other fault, or the same fault by default', async () => {
    const timeout = await pay().reply(input(msg), result({ error: gwError('GW_UPSTREAM_TIMEOUT') }));
    expect(timeout).toMatchObject({ kind: 'reply', value: { Result: 'UNKNOWN', Code: 'GW_UPSTREAM_TIMEOUT' } });
    expect(await pay().reply(input(msg), result({ error: gwError('GW_UPSTREAM_AUTH') }))).toEqual({ kind: 'fault', code: 'GW_UPSTREAM_UNAVAILABLE', params: {} });
    expect(await pay().reply(input(msg), result({ error: gwError('GW_UPSTREAM_REJECTED', { detail: 'x' }) }))).toEqual({
      kind: 'fault', code: 'GW_UPSTREAM_REJECTED', params: { detail: 'x' },
    });
  });

  it('evaluates the mapping outcome expression and names the field when an expression fails', async () => {
    const strict = registry.byId('t.strict')!;
    const err = await strict.reply(input({}), result({ response: { status: 4 } })).catch((e: unknown) => e);
    expect(isGatewayError(err, 'GW_MAP_EXPRESSION_FAILED')).toBe(true);
    expect((err as { params: Record<string, unknown> }).params).toEqual({ mapping: 't.strict', field: 'reply.Boom' });
  });
});

describe('sample mappings (mappings/acme-pos)', () => {
  it('load against the Acme WSDL: one mapping per operation, payments keyed', async () => {
    const service = await loadSoapService(path.join(REPO, 'wsdl/acme-pos'));
    const known = new Map([[service.name, new Set(service.operations.keys())]]);
    const acme = await loadMappings(path.join(REPO, 'mappings'), { knownOperations: known });
    expect(acme.warnings()).toEqual([]);
    for (const op of service.operations.keys()) expect(acme.forSoap(service.name, op), op).toBeDefined();
    const payments = acme.all().filter((m) => m.posSystem === 'acme-pos' && m.createsPayment).map((m) => m.id).sort();
    expect(payments).toEqual(['acme-pos.authorize', 'acme-pos.capture', 'acme-pos.credit', 'acme-pos.sale', 'acme-pos.sale-with-token', 'acme-pos.tokenize']);
    expect(acme.byId('acme-pos.capture')?.fetchOriginal).toBe(true);
  });
});
