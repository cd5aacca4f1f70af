// Money in the simulator is integer cents; SensePass shows major-unit decimal strings (reference §2.1).

/** 200 → "2", 1234 → "12.34", 1230 → "12.3": the trimmed shape SensePass responses show ("amount": "2"). */
export function centsToMajor(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('cents must be a safe integer');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0').replace(/0+$/, '');
  return frac === '' ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** Always two decimals ("0.00"), as productsSum and settlement amounts show. */
export function centsToFixed2(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A major-unit JSON number (isCent:false, e.g. 12.34) as cents, exactly: parsed from its decimal text,
 * never multiplied as a float. Returns undefined for more than two decimals or non-finite values.
 */
export function majorNumberToCents(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(value));
  if (m === null) return undefined;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? (m[1] === '-' ? -cents : cents) : undefined;
}

export const CURRENCIES: ReadonlySet<string> = new Set(['USD', 'CAD', 'ILS', 'EUR', 'RUB']);
