// Ownership of a TransactionNumber: it belongs to an identity when SensePass's entity carries that identity's
// posData.gatewayKey (`<identity>/<journal key>`, set by the gateway on every payment it creates and never settable
// by a POS). Anything else — unknown to SensePass, another till's, created outside the gateway — is "not found".
import type { SensePassCredentials } from '../../config.js';
import { gwError, isGatewayError } from '../../errors.js';
import { gatewayKeyIn } from '../../journal/index.js';
import type { PaymentApi } from '../call/payment-api.js';
import type { TransactionEntity } from '../call/transaction.js';

export interface OwnershipDeps {
  readonly api: PaymentApi;
}

/**
 * The entity of `transactionNumber` when `identityName` owns it, else undefined. SensePass answering 4xx for the
 * number is the same as not owned (the caller cannot tell them apart); unavailability is thrown as it is (it
 * reveals nothing and must not read as "not found").
 */
export async function ownedEntity(
  transactionNumber: string, identityName: string, credentials: SensePassCredentials, deps: OwnershipDeps,
): Promise<TransactionEntity | undefined> {
  let entity: TransactionEntity;
  try {
    entity = await deps.api.getTransaction(transactionNumber, credentials);
  } catch (err) {
    if (isGatewayError(err, 'GW_UPSTREAM_REJECTED')) return undefined;
    // SensePass's not-found text may name the device ("… for this device"), which the client reads as a credentials
    // problem; answered as not found too, or an unknown number would look different from another till's.
    if (isGatewayError(err, 'GW_UPSTREAM_AUTH')) return undefined;
    throw err;
  }
  if (entity.TransactionNumber !== transactionNumber) return undefined;
  return ownerOf(entity) === identityName ? entity : undefined;
}

/** The identity name in the entity's posData.gatewayKey (client names contain no '/', config enforces it). */
export function ownerOf(entity: TransactionEntity): string | undefined {
  const key = gatewayKeyIn(entity.posData);
  if (key === undefined) return undefined;
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : undefined;
}

/** The one "not found" of pass-through calls: the same for unknown and for another identity's numbers. */
export function transactionNotFound() {
  return gwError('GW_TRANSACTION_NOT_FOUND');
}
