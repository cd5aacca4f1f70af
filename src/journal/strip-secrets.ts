// What the journal keeps of SensePass's answers: the same value without any key the journal refuses (card tokens,
// card data, keys), and whether anything was removed (then a delivery re-reads the entity when it needs it).
import { gwError } from '../errors.js';
import { findSecretKey } from './secret-guard.js';

export interface Stripped<T> {
  readonly value: T;
  readonly removed: boolean;
}

/** A deep copy of value without refused keys; GW_UPSTREAM_BAD_RESPONSE beyond 64 levels (no SensePass answer is). */
export function stripSecrets<T>(value: T): Stripped<T> {
  let removed = false;
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (findSecretKey({ [k]: null }) !== undefined) {
        removed = true;
        continue;
      }
      out[k] = walk(x, depth + 1);
    }
    return out;
  };
  const stripped = walk(value, 0) as T;
  return { value: stripped, removed };
}
