// The journal keeps only what a replay needs: a context or reply carrying a secret key is refused outright, and
// card numbers found by their shape in any value (a Note, posData, a receipt line) are masked before they are written.
import { maskCardData, maskPansInText } from '../card-data.js';
import { gwError } from '../errors.js';
import { SECRET_KEYS } from '../log.js';
import type { BeginInput, ExchangePatch } from './journal.js';

/** Extra card-data spellings seen in SensePass and POS payloads, on top of the logging list (all lower-case). */
const EXTRA_KEYS: readonly string[] = ['securitycode', 'cardtoken', 'creditcard', 'creditcarddetails', 'track2', 'cvv2'];
const REFUSED: ReadonlySet<string> = new Set([...SECRET_KEYS, ...EXTRA_KEYS]);

/** The first refused key path inside value, or undefined when it is clean. Keys are compared case-insensitively. */
export function findSecretKey(value: unknown, path = '', depth = 0): string | undefined {
  if (depth > 64) return `${path}(too deep)`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecretKey(value[i], `${path}[${i}]`, depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = path === '' ? k : `${path}.${k}`;
    if (REFUSED.has(k.toLowerCase())) return here;
    const hit = findSecretKey(v, here, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Throws GW_JOURNAL_SECRET_REFUSED naming only the key path (never the value) when a secret-looking key is present. */
export function assertNoSecrets(value: unknown, where: 'context' | 'reply' | 'result'): void {
  const hit = findSecretKey(value);
  if (hit !== undefined) throw gwError('GW_JOURNAL_SECRET_REFUSED', { where, key: hit });
}

/** The idempotency key as the journal stores and looks it up (a key built from a card number keeps only 6 + 4 digits). */
export function journalKey(key: string): string {
  return maskPansInText(key);
}

/** A begin with its key and context masked. */
export function maskedBegin(input: BeginInput): BeginInput {
  return { ...input, key: journalKey(input.key), context: maskCardData(input.context) };
}

/** Patch fields the journal needs verbatim (ids, links, states); every other field, present or future, is masked. */
const VERBATIM: ReadonlySet<string> = new Set(['state', 'transactionNumber', 'outcome', 'commitLink', 'deadlineAt']);

/** A patch with card numbers masked in every value the journal does not need verbatim (context, reply, entity…). */
export function maskedPatch(patch: ExchangePatch): ExchangePatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) out[k] = VERBATIM.has(k) ? v : maskCardData(v);
  return out as ExchangePatch;
}
