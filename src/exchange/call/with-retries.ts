// Retry policy as a wrapper around PaymentApi: only calls that are safe to repeat are retried, and only on
// transient failures. init, pay, refund and credit are NEVER repeated blindly: a repeat could charge twice.
import pRetry from 'p-retry';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { CallOptions, PaymentApi } from './payment-api.js';

export interface RetryPolicy {
  /** Extra attempts after the first. */
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly logger?: Logger;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, minTimeoutMs: 200, maxTimeoutMs: 2_000 };

/** Transient = the request may not have reached SensePass or SensePass failed; a 4xx answer will not change. */
export const isTransient = (err: unknown): boolean =>
  isGatewayError(err, 'GW_UPSTREAM_TIMEOUT') || isGatewayError(err, 'GW_UPSTREAM_UNAVAILABLE');

export function withRetries(api: PaymentApi, policy: RetryPolicy = DEFAULT_RETRY_POLICY): PaymentApi {
  function retry<T>(name: string, o: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    return pRetry(fn, {
      retries: policy.retries,
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      randomize: true,
      unref: true,
      signal: o?.signal,
      shouldRetry: ({ error }) => isTransient(error),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (isTransient(error) && retriesLeft > 0) {
          policy.logger?.debug({ call: name, attempt: attemptNumber, code: isGatewayError(error) ? error.code : undefined }, 'retrying sensepass call');
        }
      },
    });
  }
  return {
    // Not safe to repeat: passed straight through.
    request: (call, credentials, o) =>
      call.method === 'GET' ? retry('request', o, () => api.request(call, credentials, o)) : api.request(call, credentials, o),
    init: (body, credentials, o) => api.init(body, credentials, o),
    // Safe to repeat: reads, cancel (cancelling twice is still cancelled) and commit (an acknowledgement).
    getTransaction: (n, credentials, o) => retry('getTransaction', o, () => api.getTransaction(n, credentials, o)),
    listTransactions: (filter, credentials, o) => retry('listTransactions', o, () => api.listTransactions(filter, credentials, o)),
    cancel: (n, credentials, o) => retry('cancel', o, () => api.cancel(n, credentials, o)),
    commit: (link, o) => retry('commit', o, () => api.commit(link, o)),
  };
}
