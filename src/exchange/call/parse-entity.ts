// Reads SensePass answers tolerantly (field spellings and types vary between doc versions, reference §13)
// and refuses anything that is not a Transaction Entity, so a wrong shape never looks like a payment outcome.
import { gwError } from '../../errors.js';
import type { PaymentCommit, TransactionEntity } from './transaction.js';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A JSON value (object, or a JSON string of one, as socket payloads may be) as a Transaction Entity, or undefined. */
export function toEntity(value: unknown): TransactionEntity | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  const rec = asRecord(v);
  if (rec === undefined) return undefined;
  const number = rec.TransactionNumber ?? rec.transactionNumber;
  const status = typeof rec.status === 'string' && /^\d{1,3}$/.test(rec.status) ? Number(rec.status) : rec.status;
  if (typeof number !== 'string' || number.length === 0 || typeof status !== 'number' || !Number.isInteger(status)) {
    return undefined;
  }
  return { ...rec, TransactionNumber: number, status } as TransactionEntity;
}

/** Like toEntity, but a wrong shape is GW_UPSTREAM_BAD_RESPONSE. */
export function parseEntity(body: unknown): TransactionEntity {
  const entity = toEntity(body);
  if (entity === undefined) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
  return entity;
}

/** POST /transactions answers an array or (by analogy with settlements, reference §6.3 [GAP]) `{ data: [...] }`. */
export function parseEntityList(body: unknown): TransactionEntity[] {
  const list = Array.isArray(body) ? body : asRecord(body)?.data;
  if (!Array.isArray(list)) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
  return list.map(parseEntity);
}

/** The commit message under either spelling (`messsage` in every example, `message` in the model table). */
export function commitMessage(commit: PaymentCommit | undefined): string | undefined {
  return commit?.messsage ?? commit?.message;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * An entity amount (major units, string or number, reference §2.1) as integer minor units, without float
 * arithmetic: the decimal text is split and scaled. undefined when absent, not decimal, or more precise than
 * the currency allows (a rounding would be a guess about money).
 */
export function entityAmountMinor(amount: unknown, exponent = 2): number | undefined {
  let text: string;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) return undefined;
    text = String(amount); // shortest round-trip form; exponent notation fails the pattern below
  } else if (typeof amount === 'string') {
    text = amount.trim();
  } else {
    return undefined;
  }
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(m[2] ?? '0') * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(m[1] === '-' ? -minor : minor);
}
