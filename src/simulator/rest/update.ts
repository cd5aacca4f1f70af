// PATCH /transactions/:n and POST /transactions/:n/readyForPayment (reference §6.12): change an open payment.
import type { Request, Router } from 'express';
import { canSee, type CredentialRegistry } from '../credentials.js';
import type { Engine } from '../engine.js';
import { simError } from '../sim-errors.js';
import { PENDING } from '../status.js';
import { amountCents, bodyOf, credentialFields, currencyOf, optBoolean } from './input.js';
import { echoFields } from './transactions.js';

/** Both page versions' fields (reference §13 #14); the consumer must not have approved yet. */
const UPDATABLE = ['reason', 'products', 'posData', 'metadata', 'clientPhoneNumber', 'clientEmail'] as const;

export function updateRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  const update = (req: Request, forceReady: boolean) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const n = req.params.n;
    const tx = typeof n === 'string' ? engine.store.get(n) : undefined;
    if (tx === undefined || !canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    if (!PENDING.has(tx.status) || tx.status === 2) throw simError('SIM_NOT_UPDATABLE', { reason: `status is ${tx.status}` });
    const cents = amountCents(body, 'amount', false);
    const currency = currencyOf(body, false, tx.currency);
    const ready = forceReady ? true : optBoolean(body, 'readyForPayment');
    const echo = echoFields(body);
    if (cents !== undefined) tx.amountCents = cents;
    tx.currency = currency;
    for (const key of UPDATABLE) if (echo[key] !== undefined) tx.echo[key] = echo[key];
    if (ready !== undefined) {
      const unlocked = ready && !tx.readyForPayment;
      tx.readyForPayment = ready;
      // The consumer can pay only now, so the rule book's clock starts now.
      if (unlocked) engine.scheduleOutcome(tx);
      if (!ready) engine.scheduler.cancel(`tx:${tx.number}:rule`);
    }
    return engine.entity(tx);
  };
  router.patch('/transactions/:n', (req, res) => void res.json(update(req, false)));
  router.post('/transactions/:n/readyForPayment', (req, res) => void res.json(update(req, true)));
}
