// POST /transactions/pay (card, or token: charge / capture) and POST /transactions/credit (reference §6.6–6.8).
import type { Response, Router } from 'express';
import { canSee, type CredentialRegistry, type Identity } from '../credentials.js';
import type { Engine } from '../engine.js';
import { PROCESSOR } from '../engine.js';
import { centsToMajor } from '../money.js';
import type { Card, MethodName, SimTransaction } from '../model.js';
import { simError } from '../sim-errors.js';
import { STATUS_ENUM_NAMES } from '../status.js';
import type { TokenRecord } from '../store.js';
import { cardFrom, withoutSecrets } from './card.js';
import { amountCents, bodyOf, centsOnly, credentialFields, currencyOf, methodOf, optBoolean, optString, type Body } from './input.js';
import { processorDeclined, shortTransaction } from './refund.js';
import { echoFields } from './transactions.js';

export function payRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  router.post('/transactions/pay', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    if (body.token !== undefined) return payWithToken(engine, identity, body, res);
    const card = cardFrom(body);
    if (card === undefined) throw simError('SIM_INVALID_INPUT', { detail: 'creditCardDetails (or creditCard) or token is required' });
    const method = methodOf(body);
    if (method === 'credit' || method === 'subscription') throw simError('SIM_INVALID_INPUT', { detail: `methodType ${method} is not available on /transactions/pay` });
    const cents = amountCents(body, 'amount', method !== 'tokenize' && method !== 'authorize');
    const currency = currencyOf(body, cents !== undefined, undefined);
    const tx = settle(engine, identity, body, method, cents, currency, card);
    res.json(payAnswer(engine, tx));
  });

  router.post('/transactions/credit', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const token = tokenOf(engine, identity, body);
    const cents = centsOnly(body, 'refundAmount', true);
    const rule = engine.rules.explicit({ method: 'credit', amountCents: cents, currency: token.currency, posData: body.posData });
    if (rule !== undefined && (rule.then === 'decline' || rule.then === 'fail')) return void res.json(processorDeclined('credit'));
    const currency = currencyOf(body, false, token.currency ?? identity.branch.merchant.locale.currency);
    const tx = settle(engine, identity, body, 'credit', cents, currency, token.card);
    const c = tx.confirmations[0];
    res.json({
      errorMessage: null, errorCode: 0, refundConfirmation: c?.confirmationNumber ?? null, approvedBy: PROCESSOR, refundBy: PROCESSOR,
      dateApproval: c?.dateApproval ?? null, result: 'Approved', providerId: c?.providerId ?? null, transaction: shortTransaction(engine, tx),
    });
  });
}

/** A token of this caller's merchant, or 400. */
export function tokenOf(engine: Engine, identity: Identity, body: Body): TokenRecord {
  const token = optString(body, 'token');
  if (token === undefined) throw simError('SIM_INVALID_INPUT', { detail: 'token is required' });
  const record = engine.store.tokens.get(token);
  const source = record === undefined ? undefined : engine.store.get(record.sourceNumber);
  if (record === undefined || source === undefined || !canSee({ ...identity, merchantWide: true }, source.branch)) {
    throw simError('SIM_TOKEN_REJECTED', { reason: 'unknown token' });
  }
  return record;
}

function payWithToken(engine: Engine, identity: Identity, body: Body, res: Response): void {
  const token = tokenOf(engine, identity, body);
  if (optBoolean(body, 'isCent') === false) throw simError('SIM_INVALID_INPUT', { detail: 'token payments take cents only (isCent:false is not supported)' });
  const cents = centsOnly(body, 'amount', true) ?? 0;
  const currency = currencyOf(body, false, token.currency ?? identity.branch.merchant.locale.currency);
  if (token.kind === 'authorize') {
    if (token.state !== 'open') throw simError('SIM_TOKEN_REJECTED', { reason: `the authorization is ${token.state}` });
    if (token.currency !== undefined && currency !== token.currency) throw simError('SIM_TOKEN_REJECTED', { reason: `the authorization is in ${token.currency}` });
    const left = token.authorizedCents - token.capturedCents;
    if (cents > left) throw simError('SIM_TOKEN_REJECTED', { reason: `capture of ${cents} cents exceeds the ${left} cents left on the authorization` });
  }
  const tx = settle(engine, identity, body, 'payment', cents, currency, token.card);
  if (tx.status === 5 && token.kind === 'authorize') {
    token.capturedCents += cents;
    token.captures.push(tx.number);
  }
  res.json(payAnswer(engine, tx));
}

/** Creates the transaction and lets the processor answer at once: a rule may decline or fail it, else approved. */
function settle(engine: Engine, identity: Identity, body: Body, method: MethodName, cents: number | undefined, currency: string | undefined, card: Card): SimTransaction {
  const tx = engine.create({
    identity, method, amountCents: cents, currency, timeOutSeconds: 600, initBody: withoutSecrets(body), echo: echoFields(body),
  });
  const rule = engine.rules.explicit({ method, amountCents: cents, currency, posData: body.posData });
  const to = rule?.then === 'decline' ? 6 : rule?.then === 'fail' ? 7 : 5;
  engine.transition(tx, to, { card });
  return tx;
}

/** The pay envelope (reference §6.6), `confirmation` as an array (newer pages), plus the full entity. */
export function payAnswer(engine: Engine, tx: SimTransaction): Record<string, unknown> {
  const ok = tx.status === 5;
  const entity = engine.entity(tx);
  return {
    success: ok,
    message: ok ? null : entity.statusName,
    code: ok ? null : String(tx.status),
    error: ok ? null : entity.statusName,
    approvalID: null,
    requestID: engine.ids.uuid(),
    transactionNumber: tx.number,
    transactionPaymentID: null,
    transactionStatus: STATUS_ENUM_NAMES[tx.status],
    amount: tx.amountCents === undefined ? null : centsToMajor(tx.amountCents),
    confirmation: ok ? entity.confirmations ?? [] : [],
    ...(entity.paymentDetails === undefined ? {} : { paymentDetails: entity.paymentDetails }),
    transaction: entity,
  };
}
