// Allow-list patterns and the default policy as data: which targets each admits, and config validation of
// patterns, client names and the anonymous block.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { compileAllowList, type Target } from '../../src/exchange/authorize/allow-list.js';
import { callTarget } from '../../src/exchange/authorize/call-target.js';
import { compilePolicies, DEFAULT_ALLOW } from '../../src/exchange/authorize/policy.js';

const path = (method: string, p: string): Target => ({ kind: 'path', method, path: p });
const mapping = (id: string): Target => ({ kind: 'mapping', id });

describe('allow-list patterns', () => {
  const cases: [string[], Target, boolean][] = [
    [['acme-pos.*'], mapping('acme-pos.sale'), true],
    [['acme-pos.*'], mapping('back-office.payment-request'), false],
    [['acme-pos.*', '!acme-pos.credit'], mapping('acme-pos.credit'), false],
    [['*'], path('POST', '/api/transactions/init'), false], // a mapping pattern never admits a path
    [['/api*/transactions/init'], path('POST', '/api-xml/transactions/init'), true],
    [['/api*/transactions/init'], path('POST', '/api/transactions/init/sync'), false],
    [['/api/transactions/*'], path('POST', '/api/transactions/credit'), true],
    [['/api/transactions/*'], path('POST', '/api/transactions'), false],
    [['/api/**'], path('POST', '/api/transactions/cancel/{n}'), true],
    [['GET /api/transactions/{n}'], path('PATCH', '/api/transactions/{n}'), false],
    [['GET /api/transactions/{n}'], path('GET', '/api/transactions/{n}'), true],
    [[], mapping('acme-pos.sale'), false],
  ];
  it.each(cases)('%j admits %j: %s', (patterns, target, expected) => {
    expect(compileAllowList(patterns).allows(target)).toBe(expected);
  });

  it('the default admits mapped operations and a till own calls, not credit, list, authorize or unknown paths', () => {
    const allow = compileAllowList(DEFAULT_ALLOW);
    for (const p of ['/api/transactions/init/sync', '/api-xml/transactions/{n}', '/api-soap/transactions/refund', '/api/transactions/cancel/{n}']) {
      expect(allow.allows(path('POST', p)), p).toBe(true);
    }
    for (const p of ['/api/transactions/credit', '/api-xml/transactions', '/api/transactions', '/api/transactions/authorize', '/api/settlements/all', '/api/devices/create', '/api/subscription/{id}']) {
      expect(allow.allows(path('POST', p)), p).toBe(false);
    }
    expect(allow.allows(mapping('acme-pos.credit'))).toBe(true);
  });
});

describe('call targets', () => {
  it.each([
    ['GET', '/transactions/abc', undefined, '/transactions/{n}', ['abc']],
    ['POST', '/transactions/cancel/abc', undefined, '/transactions/cancel/{n}', ['abc']],
    ['POST', '/transactions/abc/closeAuth', undefined, '/transactions/{n}/closeAuth', ['abc']],
    ['POST', '/transactions/refund', { transactionNumber: 'abc' }, '/transactions/refund', ['abc']],
    ['PATCH', '/transactions/abc', { transactionNumber: 'xyz' }, '/transactions/{n}', ['abc', 'xyz']],
    ['POST', '/transactions/cancelByDeviceId/dev', undefined, '/transactions/cancelByDeviceId/{deviceId}', []],
    ['POST', '/transactions', undefined, '/transactions', []],
  ] as const)('%s %s', (method, p, body, canonical, numbers) => {
    const t = callTarget({ method, path: p, ...(body === undefined ? {} : { body }) });
    expect(t.canonical).toBe(canonical);
    expect(t.transactionNumbers).toEqual(numbers);
  });
});

describe('policy configuration', () => {
  it('anonymous and clients get their own policies; an unknown identity gets nothing', () => {
    const config = loadConfig({ env: {}, values: { anonymous: { allow: ['acme-pos.sale'] }, clients: { till: { maxInFlight: 3, ceilings: { refund: 5000 } } } } });
    const policies = compilePolicies(config);
    expect(policies.of('anonymous').allow.allows(mapping('acme-pos.sale'))).toBe(true);
    expect(policies.of('anonymous').allow.allows(mapping('acme-pos.refund'))).toBe(false);
    expect(policies.of('till').maxInFlight).toBe(3);
    expect(policies.of('till').ceilings.refund).toBe(5000);
    expect(policies.of('till').rawCardPay).toBe(false);
    expect(policies.of('nobody').allow.allows(mapping('acme-pos.sale'))).toBe(false);
  });

  it.each([
    [{ clients: { anonymous: {} } }, /reserved/],
    [{ clients: { 'a/b': {} } }, /no "\/"/],
    [{ anonymous: { allow: ['GET acme-pos.sale'] } }, /method only goes with a path/],
    [{ anonymous: { ceilings: { refund: -1 } } }, /refund/],
    [{ anonymous: { maxInFlight: 0 } }, /maxInFlight/],
    [{ clients: { till: { alow: [] } } }, /alow/],
  ])('refuses %j', (values, message) => {
    expect(() => loadConfig({ env: {}, values })).toThrow(message);
  });
});
