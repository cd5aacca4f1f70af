// Decimal strings compared and measured digit by digit, so schema facets on amounts never touch a float.

export const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const INTEGER_RE = /^[+-]?\d+$/;

interface Parts {
  readonly negative: boolean;
  /** Integer digits without leading zeros ('' for zero). */
  readonly int: string;
  /** Fraction digits without trailing zeros. */
  readonly frac: string;
}

function parts(text: string): Parts {
  const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
  const body = sign === '' ? text : text.slice(1);
  const [rawInt = '', rawFrac = ''] = body.split('.');
  const int = rawInt.replace(/^0+/, '');
  const frac = rawFrac.replace(/0+$/, '');
  return { negative: sign === '-' && (int !== '' || frac !== ''), int, frac };
}

/** Significant digits and fraction digits as XSD totalDigits/fractionDigits count them. */
export function countDigits(text: string): { total: number; fraction: number } {
  const p = parts(text);
  // XSD: value = i × 10^-n with |i| < 10^totalDigits and n <= totalDigits, so 0.05 needs 2 digits.
  return { total: Math.max(p.int.length + p.frac.length, 1), fraction: p.frac.length };
}

/** Sign of a − b for two valid decimal strings. */
export function compareDecimal(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitude(x, y);
  return x.negative ? -magnitude : magnitude;
}

function compareMagnitude(x: Parts, y: Parts): number {
  if (x.int.length !== y.int.length) return x.int.length < y.int.length ? -1 : 1;
  if (x.int !== y.int) return x.int < y.int ? -1 : 1;
  const width = Math.max(x.frac.length, y.frac.length);
  const xf = x.frac.padEnd(width, '0');
  const yf = y.frac.padEnd(width, '0');
  return xf === yf ? 0 : xf < yf ? -1 : 1;
}
