// Bad input gets the documented error shape with a 4xx, and the simulator keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEY, DEMO_DEVICE_ID, DEMO_MERCHANT_API_KEY } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, init } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ approveAfterMs: 0 });
});
afterAll(async () => {
  await sim.close();
});

const base = { amount: 500, isCent: true, currency: 'USD', deviceId: DEMO_DEVICE_ID };
const shape = { success: false, code: expect.stringMatching(/^SIM_/), message: expect.any(String), errorCode: expect.any(Number), errorMessage: expect.any(String) };

describe('simulator bad input', () => {
  it.each([
    ['missing amount', { ...base, amount: undefined }, 400, 'SIM_INVALID_INPUT'],
    ['unknown currency', { ...base, currency: 'GBP' }, 400, 'SIM_INVALID_INPUT'],
    ['amount as a string', { ...base, amount: '500' }, 400, 'SIM_INVALID_INPUT'],
    ['fractional cents', { ...base, amount: 5.5 }, 400, 'SIM_INVALID_INPUT'],
    ['negative amount', { ...base, amount: -1 }, 400, 'SIM_INVALID_INPUT'],
    ['timeOut as an object', { ...base, timeOut: {} }, 400, 'SIM_INVALID_INPUT'],
    ['unknown methodType', { ...base, methodType: 'barter' }, 400, 'SIM_INVALID_INPUT'],
    ['products not an array', { ...base, products: 'tea' }, 400, 'SIM_INVALID_INPUT'],
    ['callbackURL not a URL', { ...base, callbackURL: 'ftp:/x' }, 400, 'SIM_INVALID_INPUT'],
    ['unknown deviceId', { ...base, deviceId: 'nope' }, 401, 'SIM_UNAUTHORIZED'],
    ['no credentials', { ...base, deviceId: undefined }, 401, 'SIM_UNAUTHORIZED'],
    ['merchant key without branch', { ...base, deviceId: undefined, apiKey: DEMO_MERCHANT_API_KEY }, 401, 'SIM_UNAUTHORIZED'],
  ])('%s', async (_name, body, status, code) => {
    const r = await call(sim, 'POST', '/transactions/init', body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ ...shape, code });
    expect((await init(sim)).status).toBe(0);
  });

  it('malformed JSON, a JSON array and an oversized body', async () => {
    const bad = await call(sim, 'POST', '/transactions/init', undefined, '{"amount": 5,');
    expect(bad).toMatchObject({ status: 400, body: { ...shape, code: 'SIM_MALFORMED_JSON' } });
    const arr = await call(sim, 'POST', '/transactions/init', [base]);
    expect(arr).toMatchObject({ status: 400, body: { code: 'SIM_INVALID_INPUT' } });
    const big = await call(sim, 'POST', '/transactions/init', { ...base, posData: 'x'.repeat(300_000) });
    expect(big).toMatchObject({ status: 413, body: { code: 'SIM_BODY_TOO_LARGE' } });
    expect((await init(sim)).status).toBe(0);
  });

  it('accepts every documented credential form, case-insensitive methodType and isCent:false', async () => {
    const key = await call(sim, 'POST', '/transactions/init', { ...base, deviceId: undefined, apiKey: DEMO_API_KEY, methodType: 'PAYMENT' });
    expect(key.status).toBe(200);
    const merchant = await call(sim, 'POST', '/transactions/init', { ...base, deviceId: undefined, apiKey: DEMO_MERCHANT_API_KEY, branchNumber: '1', amount: 12.34, isCent: false });
    expect(merchant).toMatchObject({ status: 200, body: { amount: '12.34' } });
    const tooPrecise = await call(sim, 'POST', '/transactions/init', { ...base, amount: 12.345, isCent: false });
    expect(tooPrecise.status).toBe(400);
  });

  it('GET reads credentials from the query or headers, and hides other merchants\' payments', async () => {
    const { TransactionNumber: n } = await init(sim);
    const viaHeader = await fetch(`${sim.restBaseUrl}/transactions/${n}`, { headers: { apiKey: DEMO_API_KEY } });
    expect(viaHeader.status).toBe(200);
    const none = await call(sim, 'GET', `/transactions/${n}`);
    expect(none.status).toBe(401);
    const other = await sim.control.registerDevice({ businessName: 'Other Shop' });
    const foreign = await call(sim, 'GET', `/transactions/${n}?deviceId=${other.deviceId ?? ''}`);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'SIM_NOT_FOUND' } });
    const sameMerchant = await sim.control.registerDevice({ posName: 'POS 9' });
    const own = await call(sim, 'GET', `/transactions/${n}?deviceId=${sameMerchant.deviceId ?? ''}`);
    expect(own.status).toBe(200);
    const missing = await call(sim, 'GET', `/transactions/${'0'.repeat(56)}?deviceId=${DEMO_DEVICE_ID}`);
    expect(missing.status).toBe(404);
  });

  it('unknown routes and control actions are 404 in the same shape', async () => {
    expect(await call(sim, 'POST', '/nowhere', {})).toMatchObject({ status: 404, body: { ...shape, code: 'SIM_NOT_FOUND' } });
    const { TransactionNumber: n } = await init(sim);
    await expect(sim.control.act(n, 'dance' as 'tap')).rejects.toMatchObject({ status: 404 });
    await expect(sim.control.setRules([{ then: 'explode' as 'approve' }])).rejects.toMatchObject({ status: 400 });
  });
});
