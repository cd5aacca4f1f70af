// Money helpers for mappings: decimal strings ⇄ integer minor units, exact (string/BigInt arithmetic, never floats).
import { gwError } from '../../errors.js';

/**
 * Minor-unit places per currency. SensePass lists USD CAD ILS EUR RUB (reference §2.2), all with 2 places.
 * Adding a currency is one line here (e.g. JPY: 0, KWD: 3); every helper reads its places from the table.
 */
export const CURRENCY_PLACES: Readonly<Record<string, number>> = Object.freeze({
  USD: 2,
  CAD: 2,
  ILS: 2,
  EUR: 2,
  RUB: 2,
});

/** Places used when a mapping omits the currency: every currency SensePass lists has 2. */
export const DEFAULT_PLACES = 2;

export type CurrencyTable = Readonly<Record<string, number>>;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Unsigned decimal: digits, optionally "." and digits. No sign, exponent, spaces, or bare "." on either side.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const MAX_TEXT = 40;

/** Places for a currency code; undefined currency = DEFAULT_PLACES; unknown code → GW_MAP_UNKNOWN_CURRENCY. */
export function placesOf(currency: unknown, table: CurrencyTable = CURRENCY_PLACES): number {
  if (currency === undefined) return DEFAULT_PLACES;
  if (typeof currency !== 'string' || !Object.hasOwn(table, currency)) {
    throw gwError('GW_MAP_UNKNOWN_CURRENCY', { currency: printable(currency) });
  }
  return table[currency] as number;
}

/**
 * "12.50" (major units) → 1250 (minor units). Rejects exponents, signs, spaces, empty text, more significant
 * decimals than the currency has (trailing zeros are fine: "12.500" USD = 1250) and results above MAX_SAFE_INTEGER.
 */
export function toMinorUnits(value: unknown, currency?: unknown, table: CurrencyTable = CURRENCY_PLACES): number {
  const places = placesOf(currency, table);
  const text = decimalText(value);
  const m = DECIMAL.exec(text);
  if (m === null) throw invalid(`"${printable(text)}" is not an unsigned decimal number like 12.50`);
  const whole = m[1] as string;
  const fraction = m[2] ?? '';
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > places) {
    throw invalid(`"${text}" has more than ${places} decimal place(s) for ${currencyName(currency)}`);
  }
  const minor = BigInt(whole) * 10n ** BigInt(places) + BigInt(significant.padEnd(places, '0') || '0');
  if (minor > MAX_SAFE) throw invalid(`"${text}" is too large`);
  return Number(minor);
}

/**
 * A decimal string with exactly the currency's places. An integer number is minor units (1250 → "12.50");
 * a string is major units as SensePass responses show them ("2" → "2.00", "1234.5" → "1234.50").
 */
export function toDecimal(value: unknown, currency?: unknown, table: CurrencyTable = CURRENCY_PLACES): string {
  const places = placesOf(currency, table);
  let minor: bigint;
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw invalid(`${printable(value)} is not a whole number of minor units; pass major units as a string`);
    }
    minor = BigInt(value);
    if (minor < 0n) throw invalid(`${value} is negative`);
    if (minor > MAX_SAFE) throw invalid(`${value} is too large`);
  } else {
    minor = BigInt(toMinorUnits(value, currency, table));
  }
  if (places === 0) return minor.toString();
  const digits = minor.toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * An amount already in minor units ("1250" or 1250) → 1250. Only unsigned whole numbers up to MAX_SAFE_INTEGER:
 * "12.50", "1e3", "-5", " 12" and 12.5 are refused, so a major-unit amount is never silently taken as cents.
 */
export function minorUnits(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${printable(value)} is not a whole, non-negative number of minor units`);
    return value + 0; // -0 → 0
  }
  const text = decimalText(value);
  if (!/^\d+$/.test(text)) throw invalid(`"${printable(text)}" is not a whole number of minor units like 1250`);
  const minor = BigInt(text);
  if (minor > MAX_SAFE) throw invalid(`"${printable(text)}" is too large`);
  return Number(minor);
}

function decimalText(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length === 0) throw invalid('the amount is empty');
    if (value.length > MAX_TEXT) throw invalid('the amount is too long');
    return value;
  }
  if (typeof value === 'number') {
    // String(n) is the shortest exact text of a double; exponent forms (1e21, 1e-7) are then rejected.
    if (!Number.isFinite(value)) throw invalid(`${String(value)} is not a number`);
    return String(value);
  }
  throw invalid(`expected a decimal string, got ${value === null ? 'null' : typeof value}`);
}

const invalid = (detail: string) => gwError('GW_MAP_INVALID_AMOUNT', { detail });
const currencyName = (c: unknown) => (typeof c === 'string' ? c : 'the default currency');

/** Safe to echo in a fault: short, printable ASCII only. */
function printable(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 16 ? `${clean.slice(0, 16)}…` : clean;
}
