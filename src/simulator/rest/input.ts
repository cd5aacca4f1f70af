// Reading SensePass request fields strictly: wrong types and unknown values are 400s, never crashes.
import type { Request } from 'express';
import type { CredentialFields } from '../credentials.js';
import { CURRENCIES, majorNumberToCents } from '../money.js';
import { METHOD_TYPES, type MethodName } from '../model.js';
import { simError } from '../sim-errors.js';

export type Body = Record<string, unknown>;

const invalid = (detail: string) => simError('SIM_INVALID_INPUT', { detail });

/** The JSON body as an object (absent = {}); arrays and scalars are refused. */
export function bodyOf(req: Request): Body {
  const b: unknown = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw invalid('the body must be a JSON object');
  return b as Body;
}

/** Credentials from the body, else the query string, else headers (GET with a body is unusual; reference §3). */
export function credentialFields(req: Request, body: Body): CredentialFields {
  const keys = ['deviceId', 'apiKey', 'merchantApiKey', 'branchApiKey', 'branchNumber'] as const;
  const out: CredentialFields = {};
  const fromBody = keys.some((k) => k !== 'branchNumber' && body[k] !== undefined);
  const query = req.query as Record<string, unknown>;
  const fromQuery = keys.some((k) => k !== 'branchNumber' && query[k] !== undefined);
  for (const k of keys) {
    out[k] = fromBody ? body[k] : fromQuery ? query[k] : req.get(k);
  }
  return out;
}

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`${key} must be a string`);
  return v;
}

export function optBoolean(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${key} must be a boolean`);
  return v;
}

/** Whole cents from a JSON number; `isCent:false` means major units, converted exactly (reference §2.1 [GAP]). */
export function amountCents(body: Body, key: string, required: boolean, allowZero = false): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${key} must be a number`);
  const isCent = optBoolean(body, 'isCent');
  const cents = isCent === false ? majorNumberToCents(v) : Number.isSafeInteger(v) ? v : undefined;
  if (cents === undefined) throw invalid(isCent === false ? `${key} must have at most two decimals` : `${key} must be a whole number of cents`);
  if (cents < 0 || (cents === 0 && !allowZero)) throw invalid(`${key} must be greater than zero`);
  return cents;
}

/** A cents-only field (refundAmount, token payments do not support isCent:false). */
export function centsOnly(body: Body, key: string, required: boolean): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(`${key} must be a whole number of cents`);
  if (v <= 0) throw invalid(`${key} must be greater than zero`);
  return v;
}

export function currencyOf(body: Body, required: boolean, fallback: string | undefined): string | undefined {
  const v = body.currency;
  if (v === undefined || v === null) {
    if (required) throw invalid('currency is required');
    return fallback;
  }
  if (typeof v !== 'string') throw invalid('currency must be a string');
  const c = v.toUpperCase();
  if (!CURRENCIES.has(c)) throw invalid(`currency must be one of ${[...CURRENCIES].join(', ')}`);
  return c;
}

/** methodType strings, case-insensitive ("Tokenize", "Capture+Tokenize", "subscription"). Default payment. */
export function methodOf(body: Body): MethodName {
  const v = body.methodType;
  if (v === undefined || v === null) return 'payment';
  if (typeof v !== 'string') throw invalid('methodType must be a string');
  const name = v.trim().toLowerCase();
  if (!Object.hasOwn(METHOD_TYPES, name)) throw invalid(`methodType must be one of ${Object.keys(METHOD_TYPES).join(', ')}`);
  return name as MethodName;
}

/** timeOut seconds (also the Terminal Agent's "timeout" string); default 600, at most 7 days. */
export function timeOutSeconds(body: Body): number {
  const raw = body.timeOut ?? body.timeout;
  if (raw === undefined || raw === null) return 600;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0 || n > 604_800) throw invalid('timeOut must be a whole number of seconds between 1 and 604800');
  return n;
}

export function httpUrl(body: Body, key: string): string | undefined {
  const v = optString(body, key);
  if (v === undefined || v === '') return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v;
  } catch {
    // fall through to the error below
  }
  throw invalid(`${key} must be an http(s) URL`);
}

export function transactionNumberParam(req: Request): string {
  const n = req.params.n;
  if (typeof n !== 'string' || !/^[0-9a-f]{56}$/.test(n)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
  return n;
}
