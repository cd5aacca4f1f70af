// The narrow interface to SensePass REST. Retry, timeout and logging wrap it; they are not flags inside it.
import type { SensePassCredentials } from '../../config.js';
import type { TransactionEntity } from './transaction.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** One upstream call as a mapping or a dialect endpoint describes it; `path` is relative to the REST base (…/api). */
export interface UpstreamCall {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: Readonly<Record<string, unknown>>;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly body: unknown;
}

export type CancelResult =
  | { readonly kind: 'cancelled' }
  /** SensePass refused: consumer activity or already final (501 per reference §6.4). Keep waiting / re-read. */
  | { readonly kind: 'too-late'; readonly status: number };

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface PaymentApi {
  /** Generic call: credentials are added where SensePass expects them (body, or headers for /subscription). */
  request(call: UpstreamCall, credentials: SensePassCredentials, options?: CallOptions): Promise<UpstreamResponse>;
  /** POST /transactions/init: never retried blindly (a repeat could create a second payment). */
  init(body: Readonly<Record<string, unknown>>, credentials: SensePassCredentials, options?: CallOptions): Promise<TransactionEntity>;
  /** GET /transactions/{n}: the truth about a payment; safe to retry. */
  getTransaction(transactionNumber: string, credentials: SensePassCredentials, options?: CallOptions): Promise<TransactionEntity>;
  /** POST /transactions (list), used by recovery to find a payment whose init answer was lost. */
  listTransactions(filter: Readonly<Record<string, unknown>>, credentials: SensePassCredentials, options?: CallOptions): Promise<TransactionEntity[]>;
  /** POST /transactions/cancel/{n}: safe to retry. */
  cancel(transactionNumber: string, credentials: SensePassCredentials, options?: CallOptions): Promise<CancelResult>;
  /** GET commitLink (no credentials, no headers). */
  commit(commitLink: string, options?: CallOptions): Promise<void>;
}
