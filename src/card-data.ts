// Card numbers found by their shape, whatever field they sit in (a Note, posData, a receipt line): a run of 13–19
// digits, bare or grouped by spaces or dashes, that passes the Luhn check, is masked to its first 6 and last 4 digits
// before anything is journaled or logged. Compiled once; a string without four digits in a row costs one test.

/**
 * A bare run of 13–19 digits, or 4–6 digits followed by 1–4 groups of 3–6 (4-4-4-4, Amex 4-6-5, 4-4-4-4-3), not
 * inside a longer word: letters or digits around it (a 56-hex TransactionNumber) keep it out, and a grouped run
 * must not continue a dash-joined chain (a UUID).
 */
const CANDIDATE = /(?<![0-9A-Za-z])(?:\d{13,19}|(?<![0-9A-Za-z]-)\d{4,6}(?:[ -]\d{3,6}){1,4}(?!-[0-9A-Za-z]))(?![0-9A-Za-z])/g;
/** The same inside JSON text, where a run may follow an escape such as `\n` (a letter that is not part of a word). */
const CANDIDATE_IN_JSON = /(?<!(?<!\\)[0-9A-Za-z])(?:\d{13,19}|(?<![0-9A-Za-z]-)\d{4,6}(?:[ -]\d{3,6}){1,4}(?!-[0-9A-Za-z]))(?![0-9A-Za-z])/g;
const FOUR_DIGITS = /\d{4}/;
const SEPARATORS = /[ -]/g;

/** The Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Digits that may be a card number: 13–19 of them, Luhn-valid. Thirteen-digit numbers exist only in the Visa (4) range,
 * so a 13-digit value starting 1–3 (an epoch-milliseconds time, say) is left alone.
 */
export function isPanLike(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19) return false;
  if (n === 13 && digits.charCodeAt(0) < 52) return false;
  return luhnValid(digits);
}

/** First 6 and last 4 digits kept, the rest starred: 4111111111111111 → 411111******1111. */
export function maskPan(digits: string): string {
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

export interface MaskTextOptions {
  /** Logs: also replace 13–19 digit runs that fail Luhn (private-label and test cards do) with `[pan]`. */
  readonly evenWithoutLuhn?: boolean;
  /** The text is serialised JSON (a whole log line): a run right after an escape like `\n` counts as stand-alone. */
  readonly json?: boolean;
}

/** The text with every card-number-shaped run masked. */
export function maskPansInText(text: string, options: MaskTextOptions = {}): string {
  if (text.length < 13 || !FOUR_DIGITS.test(text)) return text;
  return text.replace(options.json === true ? CANDIDATE_IN_JSON : CANDIDATE, (run) => maskRun(run, options));
}

function maskRun(run: string, options: MaskTextOptions): string {
  const digits = run.replace(SEPARATORS, '');
  if (digits.length > 19) {
    // A longer grouped run ("2026 4111 1111 1111 1111"): keep the first group, look again at the rest.
    const cut = run.search(SEPARATORS);
    return run.slice(0, cut + 1) + maskPansInText(run.slice(cut + 1), options);
  }
  if (isPanLike(digits)) return maskPan(digits);
  return options.evenWithoutLuhn === true && digits.length >= 13 ? '[pan]' : run;
}

/** An integer written with 13–19 digits that may be a card number, masked (as a string); other numbers unchanged. */
export function maskPanNumber(value: number): number | string {
  if (!Number.isInteger(value) || value < 1e12) return value;
  const digits = value.toFixed(0);
  return isPanLike(digits) ? maskPan(digits) : value;
}

/** A deep copy of plain data with every card-number-shaped string or integer masked; the input is not changed. */
export function maskCardData<T>(value: T): T {
  return mask(value, 0) as T;
}

function mask(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPansInText(value);
  if (typeof value === 'number') return maskPanNumber(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 64) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => mask(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mask(v, depth + 1);
  return out;
}
