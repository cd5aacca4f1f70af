// Money helpers: exact decimal ⇄ minor units for every listed currency, and refusal of anything ambiguous.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { CURRENCY_PLACES, toDecimal, toMinorUnits } from '../../src/exchange/map/money.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isGatewayError(err) ? err.code : 'not a catalogue error';
  }
  return undefined;
};

describe('money helpers', () => {
  it('round-trips every cents value 0..100000 in every SensePass currency', () => {
    for (const currency of Object.keys(CURRENCY_PLACES)) {
      for (let cents = 0; cents <= 100_000; cents++) {
        const text = toDecimal(cents, currency);
        if (!/^\d+\.\d\d$/.test(text) || toMinorUnits(text, currency) !== cents) throw new Error(`${cents} ${currency} → ${text} does not round-trip`);
      }
    }
    expect(toDecimal(1250, 'USD')).toBe('12.50');
    expect(toDecimal(5, 'EUR')).toBe('0.05');
  });

  it('agrees with BigInt arithmetic for arbitrary decimal strings', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.integer({ min: 0, max: 2 }), (minor, extraZeros) => {
        const s = minor.toString().padStart(3, '0');
        const text = `${s.slice(0, -2).replace(/^0+(?=\d)/, '')}.${s.slice(-2)}${'0'.repeat(extraZeros)}`;
        expect(toMinorUnits(text, 'ILS')).toBe(Number(minor));
      }),
    );
  });

  it('accepts integers, fewer decimals and trailing zeros, never float artefacts', () => {
    expect(toMinorUnits('12', 'USD')).toBe(1200);
    expect(toMinorUnits('12.5', 'CAD')).toBe(1250);
    expect(toMinorUnits('12.500', 'RUB')).toBe(1250);
    expect(toMinorUnits('0.29', 'USD')).toBe(29); // 0.29 * 100 = 28.999999999999996 as a float
    expect(toMinorUnits(12.34, 'USD')).toBe(1234);
    expect(toMinorUnits('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toDecimal('2', 'USD')).toBe('2.00');
    expect(toDecimal('1234.5', 'EUR')).toBe('1234.50');
  });

  it.each([
    ['1e3'], ['12.345'], ['-1'], ['+1'], [''], [' 1'], ['1 '], ['NaN'], ['Infinity'], ['1.'], ['.5'], ['0x10'], ['1,50'],
    ['１２'], ['90071992547409.92'], ['9'.repeat(41)],
  ])('rejects %j as GW_MAP_INVALID_AMOUNT', (text) => {
    expect(code(() => toMinorUnits(text, 'USD'))).toBe('GW_MAP_INVALID_AMOUNT');
  });

  it('rejects non-string, non-finite and non-integer minor units', () => {
    for (const v of [NaN, Infinity, 1e21, null, undefined, {}, [], true]) {
      expect(code(() => toMinorUnits(v, 'USD'))).toBe('GW_MAP_INVALID_AMOUNT');
    }
    expect(code(() => toDecimal(12.5, 'USD'))).toBe('GW_MAP_INVALID_AMOUNT');
    expect(code(() => toDecimal(-1, 'USD'))).toBe('GW_MAP_INVALID_AMOUNT');
    expect(code(() => toDecimal(Number.MAX_SAFE_INTEGER + 1, 'USD'))).toBe('GW_MAP_INVALID_AMOUNT');
  });

  it('rejects unknown currencies with GW_MAP_UNKNOWN_CURRENCY', () => {
    for (const c of ['JPY', 'usd', 'US', '', 'constructor', '__proto__', 840]) {
      expect(code(() => toMinorUnits('1.00', c))).toBe('GW_MAP_UNKNOWN_CURRENCY');
      expect(code(() => toDecimal(100, c))).toBe('GW_MAP_UNKNOWN_CURRENCY');
    }
  });

  it('takes its places from the table, so 0- and 3-decimal currencies work when added', () => {
    const table = { ...CURRENCY_PLACES, JPY: 0, KWD: 3 };
    expect(toMinorUnits('1500', 'JPY', table)).toBe(1500);
    expect(code(() => toMinorUnits('1500.5', 'JPY', table))).toBe('GW_MAP_INVALID_AMOUNT');
    expect(toDecimal(1500, 'JPY', table)).toBe('1500');
    expect(toMinorUnits('12.345', 'KWD', table)).toBe(12345);
    expect(toDecimal(5, 'KWD', table)).toBe('0.005');
    for (let minor = 0; minor <= 20_000; minor++) {
      if (toMinorUnits(toDecimal(minor, 'KWD', table), 'KWD', table) !== minor) throw new Error(`KWD ${minor}`);
    }
  });
});
