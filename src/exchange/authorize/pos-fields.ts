// Fields a POS must not set: where SensePass sends callbacks or the customer (callbackURL, returnURL, cancelURL),
// and posData.gatewayKey (ownership and crash recovery rely on it). They are removed, not refused, so clients built
// for SensePass's own adapters keep working; the callback URL comes only from config. timeOut is capped.
import { GATEWAY_KEY_FIELD } from '../../journal/index.js';

const URL_FIELDS: ReadonlySet<string> = new Set(['callbackurl', 'returnurl', 'cancelurl']);

export interface Cleaned {
  readonly body: Record<string, unknown>;
  /** Names of the fields removed (for an info log line; never their values). */
  readonly removed: readonly string[];
}

/** The body without the fields a POS must not set (top level, and gatewayKey inside posData — object or JSON text). */
export function withoutPosOnlyFields(body: Readonly<Record<string, unknown>>): Cleaned {
  const out: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (URL_FIELDS.has(k.toLowerCase())) {
      removed.push(k);
      continue;
    }
    if (k === 'posData') {
      const cleaned = posDataWithoutKey(v);
      if (cleaned.removed) removed.push(`posData.${GATEWAY_KEY_FIELD}`);
      out[k] = cleaned.value;
      continue;
    }
    out[k] = v;
  }
  return { body: out, removed };
}

function posDataWithoutKey(value: unknown): { value: unknown; removed: boolean } {
  if (typeof value === 'string') {
    // Some SensePass versions echo posData as JSON text, and ownership reads it that way too.
    let parsed: unknown;
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return { value, removed: false };
    }
    const inner = posDataWithoutKey(parsed);
    return inner.removed ? { value: JSON.stringify(inner.value), removed: true } : { value, removed: false };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { value, removed: false };
  const out: Record<string, unknown> = {};
  let removed = false;
  for (const [k, v] of Object.entries(value)) {
    if (k.toLowerCase() === GATEWAY_KEY_FIELD.toLowerCase()) removed = true;
    else out[k] = v;
  }
  return { value: out, removed };
}

/**
 * An init body with `timeOut` at most `maxSeconds`. A missing timeOut would be SensePass's default (600 s), so it is
 * set to min(assumed default, max); a value that is not a positive number is left for SensePass to refuse.
 */
export function withCappedTimeOut(body: Readonly<Record<string, unknown>>, maxSeconds: number, assumedDefault: number): Record<string, unknown> {
  const t = body.timeOut;
  if (t === undefined || t === null) return { ...body, timeOut: Math.min(assumedDefault, maxSeconds) };
  const seconds = typeof t === 'string' && /^\d{1,15}(\.\d+)?$/.test(t.trim()) ? Number(t.trim()) : t;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > maxSeconds) return { ...body, timeOut: maxSeconds };
  return { ...body };
}
