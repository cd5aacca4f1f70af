// Authorization flow beyond init and capture (reference §6.9): void, re-authorize, closeAuth.
import type { Router } from 'express';
import { canSee, type CredentialRegistry, type Identity } from '../credentials.js';
import type { Engine } from '../engine.js';
import { PROCESSOR } from '../engine.js';
import { centsToMajor } from '../money.js';
import type { SimTransaction } from '../model.js';
import { simError } from '../sim-errors.js';
import type { TokenRecord } from '../store.js';
import { withoutSecrets } from './card.js';
import { bodyOf, centsOnly, credentialFields, optString, transactionNumberParam, type Body } from './input.js';
import { payAnswer, tokenOf } from './pay.js';

const wrong = (reason: string) => simError('SIM_WRONG_STATE', { reason });

export function authorizationRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  /** Releases an approved authorization that has no capture yet: 5 → 9 (nothing was charged). */
  router.post('/transactions/void', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const { tx, token } = authorizationOf(engine, identity, body);
    if (tx.status !== 5 || token.state !== 'open') throw wrong('only an approved, open authorization can be voided');
    if (token.captures.length > 0) throw wrong('the authorization has captures; use closeAuth to release the rest');
    token.state = 'voided';
    engine.scheduler.cancel(`tx:${tx.number}:commit`);
    const confirmation = engine.confirmation('Void', token.authorizedCents, tx, token.card);
    tx.confirmations.push(confirmation);
    engine.transition(tx, 9);
    res.json({
      errorMessage: null, errorCode: 0, result: 'Approved', voidConfirmation: confirmation.confirmationNumber, approvedBy: PROCESSOR,
      dateApproval: confirmation.dateApproval, transaction: engine.entity(tx),
    });
  });

  /** Places the hold again with the same token: a new approved authorization transaction. */
  router.post('/transactions/authorize', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const token = body.token !== undefined ? tokenOf(engine, identity, body) : authorizationOf(engine, identity, body).token;
    if (token.kind !== 'authorize') throw simError('SIM_TOKEN_REJECTED', { reason: 'not an authorization token' });
    const previous = engine.store.get(token.sourceNumber);
    const cents = centsOnly(body, 'amount', false) ?? (previous?.amountCents || undefined);
    if (cents === undefined) throw simError('SIM_INVALID_INPUT', { detail: 'amount is required' });
    const tx = engine.create({
      identity, method: 'authorize', amountCents: cents, currency: token.currency ?? identity.branch.merchant.locale.currency,
      timeOutSeconds: 600, initBody: withoutSecrets(body), echo: {},
    });
    engine.transition(tx, 5, { card: token.card, reuseToken: token.token });
    // The old hold is replaced; its own commit window no longer matters.
    if (previous !== undefined) engine.scheduler.cancel(`tx:${previous.number}:commit`);
    Object.assign(token, { sourceNumber: tx.number, authorizedCents: cents, capturedCents: 0, captures: [], state: 'open' });
    res.json(payAnswer(engine, tx));
  });

  /** After at least one capture, closes the authorization and releases what was not captured. */
  router.post('/transactions/:n/closeAuth', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const tx = engine.get(transactionNumberParam(req));
    if (!canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    if (tx.method !== 'authorize') throw wrong('the transaction is not an authorization');
    const token = tx.token === undefined ? undefined : engine.store.tokens.get(tx.token);
    if (token === undefined || tx.status !== 5) throw wrong('the authorization is not approved');
    if (token.state !== 'open') throw wrong(`the authorization is ${token.state}`);
    if (token.captures.length === 0) throw wrong('no capture yet; use /transactions/void');
    if (token.capturedCents >= token.authorizedCents) throw wrong('the authorization is fully captured');
    token.state = 'closed';
    res.json({
      success: true, errorCode: 0, errorMessage: null, result: 'Approved', transactionNumber: tx.number,
      authorizedAmount: centsToMajor(token.authorizedCents), capturedAmount: centsToMajor(token.capturedCents),
      releasedAmount: centsToMajor(token.authorizedCents - token.capturedCents),
    });
  });
}

/** By `transactionNumber` or by `token`: the authorization transaction and its hold. */
function authorizationOf(engine: Engine, identity: Identity, body: Body): { tx: SimTransaction; token: TokenRecord } {
  const n = optString(body, 'transactionNumber');
  let token: TokenRecord | undefined;
  if (n !== undefined) {
    const tx = engine.store.get(n);
    if (tx === undefined || !canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    token = tx.token === undefined ? undefined : engine.store.tokens.get(tx.token);
    if (tx.method !== 'authorize' || token === undefined) throw wrong('the transaction is not an approved authorization');
    return { tx, token };
  }
  token = tokenOf(engine, identity, body);
  const tx = engine.store.get(token.sourceNumber);
  if (token.kind !== 'authorize' || tx === undefined) throw simError('SIM_TOKEN_REJECTED', { reason: 'not an authorization token' });
  return { tx, token };
}
