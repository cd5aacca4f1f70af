// POST /transactions/cancel/:n and /transactions/cancelByDeviceId/:deviceId (reference §6.4).
import type { Router } from 'express';
import { canSee, type CredentialRegistry } from '../credentials.js';
import type { Engine } from '../engine.js';
import { simError } from '../sim-errors.js';
import { OPEN } from '../status.js';
import { bodyOf, credentialFields, transactionNumberParam } from './input.js';

const CANCELLED = { status: 200, status_message: 'Transaction Was Canceled' } as const;

export function cancelRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  router.post('/transactions/cancel/:n', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const tx = engine.get(transactionNumberParam(req));
    if (!canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    engine.cancel(tx);
    res.json(CANCELLED);
  });

  /** The device's newest transaction that is still open; 404 when it has none. */
  router.post('/transactions/cancelByDeviceId/:deviceId', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const deviceId = req.params.deviceId;
    const branch = typeof deviceId === 'string' ? registry.deviceBranch(deviceId) : undefined;
    if (branch === undefined || !canSee(identity, branch)) throw simError('SIM_NOT_FOUND', { what: 'Device' });
    const tx = engine.store.all().find((t) => t.deviceId === deviceId && OPEN.has(t.status));
    if (tx === undefined) throw simError('SIM_NOT_FOUND', { what: 'Pending transaction for this device' });
    engine.cancel(tx);
    res.json(CANCELLED);
  });
}
