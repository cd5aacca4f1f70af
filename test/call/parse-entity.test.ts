// Entity parsing is tolerant of SensePass's spellings and types, and never turns a wrong shape into an outcome.
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { commitMessage, entityAmountMinor, parseEntity, parseEntityList, toEntity } from '../../src/exchange/call/parse-entity.js';
import { withCredentials, subscriptionHeaders } from '../../src/exchange/call/credentials.js';
import { failureFor, sanitizeDetail } from '../../src/exchange/call/upstream-error.js';

describe('entity amounts', () => {
  const cases: [unknown, number | undefined][] = [
    ['2', 200], ['1234.56', 123456], [1234.56, 123456], ['0.1', 10], [0.1, 10], ['70', 7000], ['12.50', 1250],
    ['12.345', undefined], ['1e3', undefined], [1e21, undefined], ['abc', undefined], [undefined, undefined], ['-3.5', -350],
  ];
  it.each(cases)('%j → %j minor units', (input, expected) => {
    expect(entityAmountMinor(input)).toBe(expected);
  });
  it('respects the currency exponent', () => {
    expect(entityAmountMinor('1500', 0)).toBe(1500);
    expect(entityAmountMinor('1.5', 0)).toBeUndefined();
  });
});

describe('entity shape', () => {
  it('accepts an object or a JSON string, and a numeric-string status', () => {
    expect(toEntity({ TransactionNumber: 'ab', status: 5 })?.status).toBe(5);
    expect(toEntity('{"TransactionNumber":"ab","status":"6"}')?.status).toBe(6);
    expect(toEntity({ transactionNumber: 'cd', status: 0 })?.TransactionNumber).toBe('cd');
  });
  it('refuses wrong shapes with GW_UPSTREAM_BAD_RESPONSE', () => {
    for (const bad of [null, [], 'not json', { status: 5 }, { TransactionNumber: 'x' }, { TransactionNumber: 'x', status: 'five' }]) {
      expect(toEntity(bad)).toBeUndefined();
      expect(() => parseEntity(bad)).toThrow(expect.objectContaining({ code: 'GW_UPSTREAM_BAD_RESPONSE' }));
    }
    expect(parseEntityList({ data: [{ TransactionNumber: 'a', status: 1 }] })).toHaveLength(1);
    expect(() => parseEntityList({ rows: [] })).toThrow();
  });
  it('reads the commit message under both spellings', () => {
    expect(commitMessage({ messsage: 'three s' })).toBe('three s');
    expect(commitMessage({ message: 'two s' })).toBe('two s');
  });
});

describe('credentials placement', () => {
  it('configured credentials replace any the caller put in the body', () => {
    const body = withCredentials({ amount: 1, deviceId: 'evil', apiKey: 'evil2' }, { deviceId: 'dev-1' }, '/transactions/init');
    expect(body).toEqual({ amount: 1, deviceId: 'dev-1' });
  });
  it('a merchant key is apiKey+branchNumber, except merchantApiKey on /transactions/pay', () => {
    expect(withCredentials({}, { merchantApiKey: 'mk', branchNumber: '3' }, '/transactions/init')).toEqual({ apiKey: 'mk', branchNumber: '3' });
    expect(withCredentials({}, { merchantApiKey: 'mk', branchNumber: '3' }, '/transactions/pay')).toEqual({ merchantApiKey: 'mk', branchNumber: '3' });
  });
  it('subscription headers name the location key branchApiKey', () => {
    expect(subscriptionHeaders({ apiKey: 'lk' })).toEqual({ branchApiKey: 'lk' });
  });
});

describe('upstream failures', () => {
  it('maps statuses to catalogue codes', () => {
    expect(failureFor(401, {}, []).code).toBe('GW_UPSTREAM_AUTH');
    expect(failureFor(503, {}, []).code).toBe('GW_UPSTREAM_UNAVAILABLE');
    expect(failureFor(400, { message: 'Unknown deviceId' }, []).code).toBe('GW_UPSTREAM_AUTH');
    const rejected = failureFor(400, { errorMessage: 'Invalid input: amount' }, []);
    expect(isGatewayError(rejected, 'GW_UPSTREAM_REJECTED')).toBe(true);
    expect(rejected.message).toContain('Invalid input: amount');
  });
  it('scrubs credentials, card-like numbers and long ids from SensePass text', () => {
    const key = 'k'.repeat(40);
    const out = sanitizeDetail(`bad key ${key} card 4111111111111111\nnext`, [key]);
    expect(out).not.toContain(key);
    expect(out).not.toContain('4111111111111111');
    expect(out).not.toContain('\n');
  });
});
