// POST /transactions/refund (reference §6.5): full or partial; void before settlement, refund after.
import type { Router } from 'express';
import { canSee, type CredentialRegistry } from '../credentials.js';
import { DEFAULT_CARD, PROCESSOR, type Engine } from '../engine.js';
import { centsToMajor } from '../money.js';
import type { SimTransaction } from '../model.js';
import { simError } from '../sim-errors.js';
import { bodyOf, centsOnly, credentialFields, optBoolean, optString } from './input.js';

/** The refund envelope's empty failure fields, merged into error bodies so callers always find `result`. */
export const DECLINED_FIELDS = {
  result: 'Declined', transaction: null, refundConfirmation: null, dateApproval: null, providerId: null, approvedBy: null, refundBy: null, amount: null,
} as const;

/** The processor said no (a rule): HTTP 200 with errorCode 22, as the reference's failure example. */
export function processorDeclined(what: 'refund' | 'credit'): Record<string, unknown> {
  return { ...DECLINED_FIELDS, errorMessage: `${what} operation declined by Processor`, errorCode: 22 };
}

/** Short transaction view of refund/credit answers; amount as a major-unit string like everywhere else. */
export function shortTransaction(engine: Engine, tx: SimTransaction): Record<string, unknown> {
  return {
    TransactionNumber: tx.number,
    date: new Date(tx.createdAt).toISOString(),
    amount: centsToMajor(tx.amountCents ?? 0),
    currency: tx.currency ?? null,
    status: tx.status,
    businessId: tx.branch.merchant.businessId,
  };
}

export function refundRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  router.post('/transactions/refund', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const n = optString(body, 'transactionNumber');
    if (n === undefined) throw simError('SIM_INVALID_INPUT', { detail: 'transactionNumber is required' }, { ...DECLINED_FIELDS });
    const tx = engine.store.get(n);
    if (tx === undefined || !canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' }, { ...DECLINED_FIELDS });
    const partial = optBoolean(body, 'isPartial') ?? false;
    const requested = partial ? centsOnly(body, 'refundAmount', true) : undefined;

    const notRefundable = (reason: string) => simError('SIM_NOT_REFUNDABLE', { reason }, { ...DECLINED_FIELDS });
    if (tx.method === 'tokenize') throw notRefundable('a Tokenize transaction charged nothing');
    if (tx.method === 'authorize') throw notRefundable('an authorization is released with /transactions/void or closeAuth');
    if (tx.method === 'credit') throw notRefundable('a credit cannot be refunded');
    if (tx.status !== 5 && tx.status !== 13) throw notRefundable(`status is ${tx.status}, not approved`);
    const left = (tx.amountCents ?? 0) - tx.refundedCents;
    const cents = requested ?? left;
    if (cents > left) throw notRefundable(`refundAmount ${cents} exceeds the refundable ${left} cents`);

    const rule = engine.rules.explicit({ method: 'refund', amountCents: cents, currency: tx.currency, posData: tx.echo.posData });
    if (rule !== undefined && (rule.then === 'decline' || rule.then === 'fail')) {
      res.json(processorDeclined('refund'));
      return;
    }
    // Before settlement (the end of the commit window) the processor voids; afterwards it refunds.
    const settlesAt = (tx.approvedAt ?? 0) + engine.settings.commitWindowSeconds * 1000;
    const operation = engine.now() < settlesAt ? 'void' : 'refund';
    engine.transition(tx, 12);
    const confirmation = engine.confirmation(operation === 'void' ? 'Void' : 'Refund', cents, tx, tx.card ?? DEFAULT_CARD);
    tx.confirmations.push(confirmation);
    tx.refundedCents += cents;
    engine.store.counters.refunds++;
    engine.transition(tx, tx.refundedCents === tx.amountCents ? 11 : 13);
    res.json({
      errorMessage: null,
      errorCode: 0,
      refundConfirmation: confirmation.confirmationNumber,
      approvedBy: PROCESSOR,
      refundBy: PROCESSOR,
      dateApproval: confirmation.dateApproval,
      result: 'Approved',
      providerId: confirmation.providerId,
      operation,
      refundAmount: centsToMajor(cents),
      transaction: shortTransaction(engine, tx),
    });
  });
}
