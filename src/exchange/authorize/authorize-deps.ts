// What the authorization policy needs from the gateway, built once by buildApp.
import type { SensePassCredentials } from '../../config.js';
import type { Journal } from '../../journal/journal.js';
import type { Logger } from '../../log.js';
import type { ClientIdentity } from '../../route/message.js';
import type { PaymentApi } from '../call/payment-api.js';
import type { Policies } from './policy.js';
import type { RefundLedger } from './refund-ledger.js';

export interface AuthorizeDeps {
  readonly policies: Policies;
  readonly api: PaymentApi;
  readonly journal: Journal;
  readonly credentialsFor: (identity: ClientIdentity) => SensePassCredentials;
  readonly ledger: RefundLedger;
  readonly logger: Logger;
  /** limits.maxPaymentTimeoutSeconds */
  readonly maxPaymentTimeoutSeconds: number;
  /** dialects.defaultTimeOutSeconds: what SensePass assumes when an init sends no timeOut. */
  readonly defaultTimeOutSeconds: number;
}
