// What a SensePass call asks for, in the terms of the allow-list and of ownership: its canonical path (ids replaced
// by placeholders, so `/api/transactions/{n}` is one entry) and the TransactionNumber it names, if any.
import type { UpstreamCall } from '../call/payment-api.js';

// Second segments of /transactions/<x> that are routes, not TransactionNumbers (kept in step with dialect-call.ts).
const ACTIONS: ReadonlySet<string> = new Set([
  'init', 'refund', 'pay', 'credit', 'void', 'authorize', 'cancel', 'cancelByDeviceId', 'customer-input', 'products', 'commitPayment', 'last',
]);

/** URL prefix of each pass-through family, as the POS sees it. */
export const FAMILY_PREFIX: Readonly<Record<string, string>> = Object.freeze({
  'terminal-agent': '/api',
  'sensepass-xml': '/api-xml',
  'sensepass-soap': '/api-soap',
});

export interface CallTarget {
  /** REST path with ids replaced: /transactions/{n}, /transactions/cancel/{n}, /subscription/{id}, … */
  readonly canonical: string;
  /** Every TransactionNumber the call names: in the path and/or as body.transactionNumber (each must be owned). */
  readonly transactionNumbers: readonly string[];
}

export function callTarget(call: Pick<UpstreamCall, 'method' | 'path' | 'body'>): CallTarget {
  const segments = call.path.split('/').filter((s) => s !== '');
  let canonical = call.path;
  let fromPath: string | undefined;
  const [first, second, third] = segments;
  if (first === 'transactions' && second !== undefined) {
    if ((second === 'cancel' || second === 'commitPayment') && third !== undefined) {
      fromPath = third;
      canonical = ['', first, second, '{n}', ...segments.slice(3)].join('/');
    } else if (second === 'cancelByDeviceId' && third !== undefined) {
      canonical = ['', first, second, '{deviceId}', ...segments.slice(3)].join('/');
    } else if (!ACTIONS.has(second)) {
      fromPath = second;
      canonical = ['', first, '{n}', ...segments.slice(2)].join('/');
    }
  } else if (first === 'subscription' && second !== undefined) {
    canonical = ['', first, '{id}', ...segments.slice(2)].join('/');
  }
  const numbers: string[] = fromPath !== undefined ? [decode(fromPath)] : [];
  const bodyNumber = call.method === 'GET' ? undefined : call.body?.transactionNumber;
  if (bodyNumber !== undefined && bodyNumber !== null) numbers.push(String(bodyNumber));
  return { canonical, transactionNumbers: [...new Set(numbers)] };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
