// Which SensePass call a dialect or Terminal Agent request stands for: the REST path (checked, never a free URL),
// the method (SensePass's adapters only take POST, so GET-only resources are read), the synchronous init variant,
// the client's idempotency key, and the client's own credential fields removed (the gateway's are added later).
import type { SensePassCredentials } from '../config.js';
import { gwError } from '../errors.js';
import type { HttpMethod } from '../exchange/call/payment-api.js';

export interface DialectCall {
  readonly method: HttpMethod;
  /** REST path relative to …/api, e.g. /transactions/init. */
  readonly path: string;
  /** `/transactions/init/sync`: init, then wait for the final status. */
  readonly sync: boolean;
}

// Path segments: the characters SensePass ids and route names use; no dots-only segments, no encoded slashes.
const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,255}$/;
const MAX_SEGMENTS = 8;
// Second segments of /transactions/<x> that are POST routes; any other <x> is a TransactionNumber (GET or PATCH).
export const TRANSACTION_ACTIONS: ReadonlySet<string> = new Set([
  'init', 'refund', 'pay', 'credit', 'void', 'authorize', 'cancel', 'cancelByDeviceId', 'customer-input', 'products', 'commitPayment',
]);
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PATCH']);

/** The REST path from the URL segments after the dialect prefix; GW_ROUTE_NOT_FOUND for anything else. */
export function restPath(segments: readonly string[]): string {
  if (segments.length === 0 || segments.length > MAX_SEGMENTS || !segments.every((s) => SEGMENT.test(s))) {
    throw gwError('GW_ROUTE_NOT_FOUND');
  }
  return `/${segments.join('/')}`;
}

/**
 * The call for a request on the SOAP/XML dialect (always POSTed, like SensePass's own adapters). A POST on a
 * read-only resource (`transactions/{n}`, `transactions/commitPayment/{id}`, `subscription/{uid}`) reads it;
 * `X-HTTP-Method-Override: PATCH` updates a transaction or subscription.
 */
export function dialectCall(segments: readonly string[], override: string | undefined): DialectCall {
  const path = restPath(segments);
  if (path === '/transactions/init/sync') return { method: 'POST', path: '/transactions/init', sync: true };
  if (override !== undefined && override.trim() !== '') {
    const method = override.trim().toUpperCase();
    if (!METHODS.has(method)) throw gwError('GW_ROUTE_METHOD_NOT_ALLOWED');
    return { method: method as HttpMethod, path, sync: false };
  }
  return { method: readOnlyResource(segments) ? 'GET' : 'POST', path, sync: false };
}

/** The call for a Terminal Agent request: the HTTP method as sent (the Agent is a plain REST proxy). */
export function agentCall(method: string, segments: readonly string[]): DialectCall {
  if (!METHODS.has(method)) throw gwError('GW_ROUTE_METHOD_NOT_ALLOWED');
  const path = restPath(segments);
  if (path === '/transactions/init/sync') {
    if (method !== 'POST') throw gwError('GW_ROUTE_METHOD_NOT_ALLOWED');
    return { method: 'POST', path: '/transactions/init', sync: true };
  }
  return { method: method as HttpMethod, path, sync: false };
}

function readOnlyResource(segments: readonly string[]): boolean {
  const [first, second] = segments;
  if (first === 'subscription') return segments.length === 2;
  if (first !== 'transactions') return false;
  if (second === 'commitPayment') return segments.length === 3;
  return segments.length === 2 && second !== undefined && !TRANSACTION_ACTIONS.has(second);
}

/**
 * `transactions/cancelByDeviceId/{deviceId}` acts on the client's own configured device, whatever id it sent
 * (its own, the opaque handle from GET /api/devices, or a stale one): a client can only cancel on its own till.
 */
export function withOwnDevice(path: string, credentials: SensePassCredentials): string {
  const prefix = '/transactions/cancelByDeviceId/';
  if (!path.startsWith(prefix) || credentials.deviceId === undefined) return path;
  return prefix + encodeURIComponent(credentials.deviceId);
}

// Credential fields a SensePass client may send itself (reference §3; the settlement example spells `apikey`).
const CLIENT_CREDENTIALS: ReadonlySet<string> = new Set(['deviceid', 'apikey', 'merchantapikey', 'branchapikey', 'branchnumber']);

/** The body without the client's own credential fields; the gateway adds the configured ones for the identity. */
export function withoutClientCredentials(body: Readonly<Record<string, unknown>>): { body: Record<string, unknown>; dropped: string[] } {
  const out: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (CLIENT_CREDENTIALS.has(k.toLowerCase())) dropped.push(k);
    else out[k] = v;
  }
  return { body: out, dropped };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** The Idempotency-Key header: absent → undefined; malformed → GW_INGRESS_IDEMPOTENCY_KEY. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw gwError('GW_INGRESS_IDEMPOTENCY_KEY');
  return header;
}
