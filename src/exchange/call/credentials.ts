// Where SensePass expects credentials (reference §3): JSON body, query+headers for GET, headers for /subscription.
import type { SensePassCredentials } from '../../config.js';

/** Every credential field name, so a caller's body can never carry its own (the configured ones win). */
export const CREDENTIAL_FIELDS: readonly string[] = ['deviceId', 'apiKey', 'merchantApiKey', 'branchApiKey', 'branchNumber'];

/**
 * Body fields for the transaction endpoints. A merchant key travels as `apiKey` + `branchNumber` (the deprecated
 * merchant-key scheme) except on /transactions/pay, whose table names it `merchantApiKey` (reference §3, conflict 9).
 */
export function credentialFields(credentials: SensePassCredentials, path: string): Record<string, string> {
  if (credentials.deviceId !== undefined) return { deviceId: credentials.deviceId };
  const branch: Record<string, string> = credentials.branchNumber !== undefined ? { branchNumber: credentials.branchNumber } : {};
  if (credentials.apiKey !== undefined) return { apiKey: credentials.apiKey, ...branch };
  if (credentials.merchantApiKey !== undefined) {
    return path.startsWith('/transactions/pay')
      ? { merchantApiKey: credentials.merchantApiKey, ...branch }
      : { apiKey: credentials.merchantApiKey, ...branch };
  }
  return {};
}

/** The caller's body with any credential-looking field replaced by the configured credentials. */
export function withCredentials(
  body: Readonly<Record<string, unknown>> | undefined,
  credentials: SensePassCredentials,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body ?? {})) if (!CREDENTIAL_FIELDS.includes(k)) out[k] = v;
  return { ...out, ...credentialFields(credentials, path) };
}

/** /subscription/:uid reads exactly one of the headers deviceId, merchantApiKey, branchApiKey (reference §6.10). */
export function subscriptionHeaders(credentials: SensePassCredentials): Record<string, string> {
  if (credentials.deviceId !== undefined) return { deviceId: credentials.deviceId };
  if (credentials.apiKey !== undefined) return { branchApiKey: credentials.apiKey };
  if (credentials.merchantApiKey !== undefined) return { merchantApiKey: credentials.merchantApiKey };
  return {};
}

/** Secret values, so error text from SensePass can be scrubbed of them before it reaches a fault or a log. */
export function secretValues(credentials: SensePassCredentials): string[] {
  return [credentials.deviceId, credentials.apiKey, credentials.merchantApiKey].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}
