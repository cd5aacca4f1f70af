// The fields a POS must not set, as data: which are removed (any case, posData as object or JSON text) and how
// timeOut is capped.
import { describe, expect, it } from 'vitest';
import { withCappedTimeOut, withoutPosOnlyFields } from '../../src/exchange/authorize/pos-fields.js';

describe('withoutPosOnlyFields', () => {
  it('removes the URLs in any case and posData.gatewayKey, keeps everything else', () => {
    const out = withoutPosOnlyFields({
      amount: 100,
      CALLBACKURL: 'http://x',
      returnUrl: 'http://x',
      cancelURL: 'http://x',
      reason: 'r',
      posData: { lane: 1, GatewayKey: 'till-b/k' },
    });
    expect(out.body).toEqual({ amount: 100, reason: 'r', posData: { lane: 1 } });
    expect(out.removed).toEqual(['CALLBACKURL', 'returnUrl', 'cancelURL', 'posData.gatewayKey']);
  });

  it('posData sent as JSON text loses its gatewayKey too; other text is left alone', () => {
    expect(withoutPosOnlyFields({ posData: '{"gatewayKey":"till-b/k","lane":2}' }).body).toEqual({ posData: '{"lane":2}' });
    expect(withoutPosOnlyFields({ posData: 'lane 2' }).body).toEqual({ posData: 'lane 2' });
    expect(withoutPosOnlyFields({ posData: [1, 2] }).removed).toEqual([]);
  });
});

describe('withCappedTimeOut', () => {
  it.each([
    [604800, 300],
    ['604800', 300],
    [120, 120],
    [undefined, 300],
    [null, 300],
    ['soon', 'soon'], // not a number: SensePass refuses it
  ])('timeOut %j → %j', (given, expected) => {
    const body = given === undefined ? {} : { timeOut: given };
    expect(withCappedTimeOut(body, 300, 600).timeOut).toBe(expected);
  });
  it('a missing timeOut gets the assumed default when it is under the cap', () => {
    expect(withCappedTimeOut({}, 900, 600).timeOut).toBe(600);
  });
});
