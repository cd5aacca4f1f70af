// GET/PATCH /subscription/:uid (reference §6.10): credentials in headers deviceId | merchantApiKey | branchApiKey.
import type { Request, Router } from 'express';
import { canSee, type CredentialRegistry } from '../credentials.js';
import type { Engine } from '../engine.js';
import { subscriptionView } from '../entity.js';
import type { SimTransaction } from '../model.js';
import { simError } from '../sim-errors.js';
import { bodyOf, optString } from './input.js';

const STATUSES = new Set(['active', 'paused', 'canceled']);

export function subscriptionRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  const parentOf = (req: Request): SimTransaction => {
    const identity = registry.authenticate({
      deviceId: req.get('deviceId'), merchantApiKey: req.get('merchantApiKey'), branchApiKey: req.get('branchApiKey'), branchNumber: req.get('branchNumber'),
    });
    const uid = req.params.uid;
    const n = typeof uid === 'string' ? engine.store.subscriptions.get(uid) : undefined;
    const tx = n === undefined ? undefined : engine.store.get(n);
    if (tx === undefined || !canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Subscription' });
    return tx;
  };

  router.get('/subscription/:uid', (req, res) => {
    const parent = parentOf(req);
    res.json({ ...subscriptionView(parent), payments: payments(engine, parent) });
  });

  router.patch('/subscription/:uid', (req, res) => {
    const parent = parentOf(req);
    const status = optString(bodyOf(req), 'status');
    if (status === undefined || !STATUSES.has(status)) throw simError('SIM_INVALID_INPUT', { detail: 'status must be active, paused or canceled' });
    const sub = parent.subscription;
    if (sub === undefined) throw simError('SIM_NOT_FOUND', { what: 'Subscription' });
    if (sub.status === 'canceled') throw simError('SIM_NOT_UPDATABLE', { reason: 'a canceled subscription cannot be updated' });
    sub.status = status as 'active' | 'paused' | 'canceled';
    sub.active = status === 'active';
    sub.updated = engine.now();
    res.json({ ...subscriptionView(parent), payments: payments(engine, parent) });
  });
}

/** Paid periods, each with a singular `confirmation` as the fetch example shows (reference §13 #12). */
function payments(engine: Engine, parent: SimTransaction): Record<string, unknown>[] {
  return (parent.subscription?.payments ?? []).flatMap((n) => {
    const tx = engine.store.get(n);
    if (tx === undefined) return [];
    const { confirmations, parentTransaction: _parent, ...entity } = engine.entity(tx);
    return [{ ...entity, paymentProcessRequestID: tx.number.slice(0, 23).toUpperCase(), confirmation: confirmations?.[0] ?? null }];
  });
}
