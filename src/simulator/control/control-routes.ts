// The control API under /_sim: plays the consumer and the processor, and switches faults (docs/simulator.md).
import { Router } from 'express';
import type { CredentialRegistry } from '../credentials.js';
import type { Engine } from '../engine.js';
import type { FaultSwitches } from '../faults.js';
import { simError } from '../sim-errors.js';
import type { SocketHub } from '../sockets.js';
import { bodyOf, optString, transactionNumberParam } from '../rest/input.js';

export interface ControlDeps {
  readonly engine: Engine;
  readonly registry: CredentialRegistry;
  readonly faults: FaultSwitches;
  readonly sockets: () => SocketHub;
  /** Clears transactions, rules, faults, timers and extra credentials. */
  readonly reset: () => void;
}

/** Control action → target status. */
export const ACTIONS: Readonly<Record<string, number>> = Object.freeze({
  tap: 1,
  'user-approve': 2,
  'user-decline': 3,
  processing: 4,
  approve: 5,
  decline: 6,
  fail: 7,
  expire: 8,
  'waiting-for-tap': 10,
});

export function controlRouter(d: ControlDeps): Router {
  const r = Router();
  const { engine } = d;

  r.post('/transactions/:n/:action', (req, res) => {
    const to = Object.hasOwn(ACTIONS, req.params.action ?? '') ? ACTIONS[req.params.action ?? ''] : undefined;
    if (to === undefined) throw simError('SIM_NOT_FOUND', { what: `Action ${req.params.action ?? ''}` });
    const tx = engine.get(transactionNumberParam(req));
    engine.transition(tx, to);
    res.json(engine.entity(tx));
  });

  r.get('/transactions/:n', (req, res) => {
    const tx = engine.get(transactionNumberParam(req));
    res.json({ entity: engine.entity(tx), committed: tx.committed, reversed: tx.reversed, cancelCalls: tx.cancelCalls, initBody: tx.initBody, callbackURL: tx.callbackURL ?? null });
  });

  r.get('/transactions', (_req, res) => {
    res.json({ transactions: engine.store.all().map((tx) => ({ TransactionNumber: tx.number, status: tx.status, deviceId: tx.deviceId ?? null })) });
  });

  r.get('/stats', (_req, res) => {
    const c = engine.store.counters;
    res.json({
      transactions: engine.store.transactions.size,
      byStatus: engine.store.byStatus(),
      initCalls: c.initCalls,
      commits: c.commits,
      reversals: c.reversals,
      callbacksSent: c.callbacksSent,
      callbacksFailed: c.callbacksFailed,
      sockets: d.sockets().connected,
      commitCalls: c.commitCalls,
      cancelCalls: c.cancelCalls,
      refunds: c.refunds,
      callbacksAbandoned: c.callbacksAbandoned,
      socketEvents: c.socketEvents,
      socketEventsDropped: c.socketEventsDropped,
      timers: engine.scheduler.pending,
    });
  });

  r.get('/rules', (_req, res) => void res.json({ rules: engine.rules.list() }));
  r.put('/rules', (req, res) => void res.json({ rules: engine.rules.set(bodyOf(req)) }));
  r.delete('/rules', (_req, res) => {
    engine.rules.reset();
    res.json({ rules: [] });
  });

  r.get('/faults', (_req, res) => void res.json(d.faults.get()));
  r.put('/faults', (req, res) => void res.json(d.faults.set(bodyOf(req))));
  r.delete('/faults', (_req, res) => {
    d.faults.reset();
    res.json(d.faults.get());
  });

  r.post('/sockets/disconnect', (req, res) => {
    const room = optString(bodyOf(req), 'room');
    res.json({ disconnected: d.sockets().disconnect(room) });
  });

  r.post('/devices', (req, res) => {
    const body = bodyOf(req);
    const idOrGen = (k: string): string | true | undefined => (body[k] === true ? true : optString(body, k));
    const registered = d.registry.register({
      deviceId: idOrGen('deviceId'),
      apiKey: idOrGen('apiKey'),
      merchantApiKey: idOrGen('merchantApiKey'),
      branchNumber: optString(body, 'branchNumber'),
      posName: optString(body, 'posName'),
      businessName: optString(body, 'businessName'),
    });
    res.json(registered);
  });

  r.post('/reset', (_req, res) => {
    d.reset();
    res.json({ reset: true });
  });

  /** The next period of a subscription falls due now: one approved child payment. */
  r.post('/subscriptions/:id/charge', (req, res) => {
    const n = engine.store.subscriptions.get(req.params.id ?? '');
    const parent = n === undefined ? undefined : engine.store.get(n);
    if (parent === undefined) throw simError('SIM_NOT_FOUND', { what: 'Subscription' });
    res.json(engine.entity(engine.chargeSubscription(parent)));
  });

  r.get('/clock', (_req, res) => void res.json({ now: new Date(engine.now()).toISOString() }));
  r.post('/clock', (req, res) => {
    const ms = bodyOf(req).advanceMs;
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) throw simError('SIM_INVALID_INPUT', { detail: 'advanceMs must be a non-negative whole number' });
    engine.scheduler.advance(ms);
    res.json({ now: new Date(engine.now()).toISOString() });
  });

  return r;
}
