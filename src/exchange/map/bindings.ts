// What expressions can see: helper functions and per-phase variables. SensePass secrets are never bound.
import { gwError } from '../../errors.js';
import type { ClientIdentity } from '../../route/message.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import { statusOutcome } from './status-outcome.js';
import { CURRENCY_PLACES, minorUnits, toDecimal, toMinorUnits, type CurrencyTable } from './money.js';
import type { CredentialsFor } from './types.js';
import { buildXmlText, parseXmlText } from './xml-text.js';

/** Helper functions every expression may call ($cents, $decimal, …). */
export const HELPER_NAMES = ['cents', 'decimal', 'minor', 'key', 'required', 'reject', 'outcomeOf', 'credentials', 'parseXml', 'xml'] as const;

/** Variables bound in some phase ($outcome in replies, …); reading one elsewhere yields nothing. */
export const VARIABLE_NAMES = [
  'identity', 'request', 'outcome', 'transaction', 'response', 'original', 'error', 'httpStatus', 'currency',
] as const;

/** Root names that replies and plans see beside the request's own fields (they win over request fields). */
export const RESERVED_ROOT = ['transaction', 'response', 'original'] as const;

const MAX_KEY_LENGTH = 256;

/** `defaultCurrency`: the mapping's `currency:`, used when $cents/$decimal are given none. */
export function staticHelpers(table: CurrencyTable = CURRENCY_PLACES, defaultCurrency?: string): Record<string, unknown> {
  const currencyOr = (c: unknown) => c ?? defaultCurrency;
  return {
    // undefined in → undefined out, as JSONata's own functions do; an optional amount stays optional.
    cents: (value: unknown, currency?: unknown) => (value === undefined ? undefined : toMinorUnits(value, currencyOr(currency), table)),
    decimal: (value: unknown, currency?: unknown) => (value === undefined ? undefined : toDecimal(value, currencyOr(currency), table)),
    // Amounts the POS already sends in minor units ("1250"): checked to be a whole number, never float arithmetic.
    minor: (value: unknown) => (value === undefined ? undefined : minorUnits(value)),
    // Idempotency keys: every part must be present, unlike `&`, which turns a missing part into "".
    key: (...parts: unknown[]) => {
      const text = parts.map((p, i) => {
        if ((typeof p !== 'string' && typeof p !== 'number') || String(p) === '') {
          throw gwError('GW_MAP_MISSING_VALUE', { field: `key part ${i + 1}` });
        }
        return String(p);
      });
      const key = text.join('/');
      if (key.length > MAX_KEY_LENGTH) throw gwError('GW_MAP_REJECTED', { detail: 'the request reference is too long' });
      return key;
    },
    required: (value: unknown, name?: unknown) => {
      if (value === undefined || value === null || value === '') {
        throw gwError('GW_MAP_MISSING_VALUE', { field: typeof name === 'string' ? name : 'value' });
      }
      return value;
    },
    reject: (detail: unknown) => {
      throw gwError('GW_MAP_REJECTED', { detail: typeof detail === 'string' ? detail : 'the request was refused' });
    },
    // Pending statuses (0–4, 10) are UNKNOWN to a POS: not final, nothing to conclude yet; 11–13 have their own words.
    outcomeOf: statusOutcome,
    parseXml: parseXmlText,
    xml: buildXmlText,
  };
}

/** `$credentials()`: which kind of SensePass credentials serve this identity, never their values. */
export function credentialsHelper(credentialsFor: CredentialsFor | undefined, identity: ClientIdentity): () => unknown {
  return () => {
    const c = credentialsFor?.(identity);
    if (c === undefined) return undefined;
    const kind = c.deviceId !== undefined ? 'deviceId' : c.merchantApiKey !== undefined ? 'merchantApiKey' : c.apiKey !== undefined ? 'apiKey' : undefined;
    return kind === undefined ? undefined : { kind, hasBranch: c.branchNumber !== undefined };
  };
}

/** The looked-up exchange as expressions see it: its identifiers and stored context, no secrets. */
export function originalView(original: Exchange | undefined, transaction: TransactionEntity | undefined): unknown {
  if (original === undefined) return undefined;
  return {
    key: original.key,
    transactionNumber: original.transactionNumber,
    outcome: original.outcome,
    state: original.state,
    mappingId: original.mappingId,
    context: original.context,
    transaction,
  };
}

/** Request fields at the root; the reserved names always shadow request fields of the same name ($request has them). */
export function rootInput(message: Readonly<Record<string, unknown>>, extra: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(message)) root[k] = v;
  for (const k of RESERVED_ROOT) {
    if (extra[k] !== undefined) root[k] = extra[k];
    else delete root[k];
  }
  return root;
}
