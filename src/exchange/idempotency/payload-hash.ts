// The same key with another payload is a conflict: payloads are compared by a hash of their canonical JSON.
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so two equal payloads always serialise the
 * same way whatever order their fields were built in. Follows JSON.stringify otherwise: toJSON() is honoured,
 * undefined/function properties are dropped (null in arrays), non-finite numbers become null. Cycles and bigint throw.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

/** sha256 (hex) of the canonical JSON of the mapped, non-secret request payload. */
export function payloadHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

function write(value: unknown, seen: Set<object>): string {
  const v = hasToJson(value) ? value.toJSON() : value;
  if (v === null || typeof v !== 'object') return scalar(v);
  if (seen.has(v)) throw new TypeError('canonicalJson: cyclic value');
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      return `[${v.map((item) => (isDropped(item) ? 'null' : write(item, seen))).join(',')}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(v).sort()) {
      const item = (v as Record<string, unknown>)[key];
      if (isDropped(item)) continue;
      parts.push(`${JSON.stringify(key)}:${write(item, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(v);
  }
}

function scalar(v: unknown): string {
  if (typeof v === 'bigint') throw new TypeError('canonicalJson: bigint is not JSON');
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return JSON.stringify(v) ?? 'null';
}

function isDropped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function hasToJson(v: unknown): v is { toJSON(): unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}
