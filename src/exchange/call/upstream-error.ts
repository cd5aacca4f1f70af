// Turns a failed SensePass answer into a catalogue error; SensePass's own words are kept, its secrets are not.
import { gwError, type GatewayError } from '../../errors.js';
import { maskId } from '../../log.js';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** SensePass's error text wherever this answer keeps it (error bodies are undocumented, reference §14.1). */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : body;
  const rec = asRecord(body);
  if (rec === undefined) return undefined;
  for (const key of ['errorMessage', 'message', 'messsage', 'status_message', 'error', 'msg']) {
    const v = rec[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    const nested = asRecord(v);
    if (nested !== undefined && typeof nested.message === 'string') return nested.message;
  }
  return undefined;
}

/** One line, at most 200 characters, no credential values and no long opaque ids (they may be keys or tokens). */
export function sanitizeDetail(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  out = out
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\b\d{12,19}\b/g, '[redacted]') // anything shaped like a card number
    .replace(/[A-Za-z0-9_-]{24,}/g, (m) => maskId(m))
    .trim();
  return out.length > 200 ? `${out.slice(0, 197)}...` : out;
}

// 400/404 texts that mean "these credentials are not known", which SensePass may not signal with 401.
const CREDENTIAL_TEXT = /(device|api ?key|merchant|branch|credential|unauthori[sz]ed|forbidden)/i;

/** Catalogue error for a non-2xx answer (401/403 or unknown credentials → AUTH, 5xx → UNAVAILABLE, 4xx → REJECTED). */
export function failureFor(status: number, body: unknown, secrets: readonly string[]): GatewayError {
  if (status === 401 || status === 403) return gwError('GW_UPSTREAM_AUTH');
  if (status >= 500) return gwError('GW_UPSTREAM_UNAVAILABLE', { status });
  const message = upstreamMessage(body);
  if ((status === 400 || status === 404) && message !== undefined && /\b(unknown|invalid|not found|missing)\b/i.test(message) && CREDENTIAL_TEXT.test(message)) {
    return gwError('GW_UPSTREAM_AUTH');
  }
  const detail = message !== undefined ? sanitizeDetail(message, secrets) : `HTTP ${status}`;
  return gwError('GW_UPSTREAM_REJECTED', { detail: detail === '' ? `HTTP ${status}` : detail, status });
}
