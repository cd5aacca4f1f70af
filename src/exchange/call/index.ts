// The call step's public surface: the SensePass client, its retry wrapper and the entity helpers.
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { PaymentApi } from './payment-api.js';
import { createSensePassClient } from './sensepass-client.js';
import { DEFAULT_RETRY_POLICY, withRetries } from './with-retries.js';

export { createSensePassClient, type SensePassClientOptions } from './sensepass-client.js';
export { withRetries, isTransient, DEFAULT_RETRY_POLICY, type RetryPolicy } from './with-retries.js';
export { toEntity, parseEntity, parseEntityList, entityAmountMinor, commitMessage } from './parse-entity.js';
export { credentialFields, withCredentials, subscriptionHeaders } from './credentials.js';
export type * from './payment-api.js';
export * from './transaction.js';

/** The client as configured, with the retry policy around the calls that are safe to repeat. */
export function paymentApiFromConfig(config: Pick<Config, 'sensepass' | 'derived'> & Partial<Pick<Config, 'log'>>, logger: Logger): PaymentApi {
  const client = createSensePassClient({
    restBaseUrl: config.derived.restBaseUrl,
    requestTimeoutMs: config.sensepass.requestTimeoutMs,
    logger,
    captureMessages: config.log?.captureMessages === true,
  });
  return withRetries(client, { ...DEFAULT_RETRY_POLICY, logger });
}
