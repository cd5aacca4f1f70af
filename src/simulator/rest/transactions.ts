// POST /transactions/init and GET /transactions/:n (reference §6.1, §6.2).
import type { Router } from 'express';
import type { CredentialRegistry } from '../credentials.js';
import { canSee } from '../credentials.js';
import type { Engine } from '../engine.js';
import { productSums } from '../entity.js';
import type { MethodName } from '../model.js';
import { simError } from '../sim-errors.js';
import {
  amountCents, bodyOf, credentialFields, currencyOf, httpUrl, methodOf, optBoolean, optString, timeOutSeconds,
  transactionNumberParam, type Body,
} from './input.js';

/** Methods that charge (or credit) an amount: it and its currency are required. */
const NEEDS_AMOUNT: ReadonlySet<MethodName> = new Set(['payment', 'credit', 'capture+tokenize']);

export function transactionRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  router.post('/transactions/init', (req, res) => {
    engine.store.counters.initCalls++;
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const method = methodOf(body);
    const products = body.products;
    if (products !== undefined && products !== null && !(Array.isArray(products) && products.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p)))) {
      throw simError('SIM_INVALID_INPUT', { detail: 'products must be an array of objects' });
    }
    let cents = amountCents(body, 'amount', false);
    if (cents === undefined && Array.isArray(products) && products.length > 0) cents = productSums(products).totalCents;
    if (cents === undefined && NEEDS_AMOUNT.has(method)) throw simError('SIM_INVALID_INPUT', { detail: 'amount is required' });
    const currency = currencyOf(body, method === 'payment' || method === 'credit', cents === undefined ? undefined : identity.branch.merchant.locale.currency);
    const callbackMethod = optString(body, 'callbackMethod');
    if (callbackMethod !== undefined && !/^(get|post)$/i.test(callbackMethod)) throw simError('SIM_INVALID_INPUT', { detail: 'callbackMethod must be GET or POST' });
    const tx = engine.create({
      identity,
      method,
      amountCents: cents,
      currency,
      timeOutSeconds: timeOutSeconds(body),
      initBody: structuredClone(body),
      echo: echoFields(body),
      callbackURL: httpUrl(body, 'callbackURL'),
      callbackMethod: callbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST',
      readyForPayment: optBoolean(body, 'readyForPayment') ?? true,
    });
    if (method === 'subscription') tx.subscription = subscriptionOf(body, engine);
    if (tx.subscription !== undefined) engine.store.subscriptions.set(tx.subscription.id, tx.number);
    engine.scheduleOutcome(tx);
    res.json(engine.entity(tx));
  });

  router.get('/transactions/:n', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const tx = engine.get(transactionNumberParam(req));
    if (!canSee(identity, tx.branch)) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    res.json(engine.entity(tx));
  });
}

/** Request fields SensePass echoes into the entity; types checked where the reference gives one. */
export function echoFields(body: Body): Record<string, unknown> {
  const echo: Record<string, unknown> = {};
  for (const key of ['posData', 'metadata', 'invoice', 'billingAddress', 'shippingAddress', 'additionalData', 'products'] as const) {
    if (body[key] !== undefined && body[key] !== null) echo[key] = structuredClone(body[key]);
  }
  for (const key of ['reason', 'clientName', 'clientPhoneNumber', 'clientEmail'] as const) {
    const v = optString(body, key);
    if (v !== undefined) echo[key] = v;
  }
  const inst = body.maxInstallments;
  if (inst !== undefined && inst !== null) {
    if (typeof inst !== 'number' || !Number.isSafeInteger(inst) || inst < 1) throw simError('SIM_INVALID_INPUT', { detail: 'maxInstallments must be a positive whole number' });
    echo.maxInstallments = inst;
  }
  const receipt = body.receipt;
  if (receipt !== undefined && receipt !== null) {
    if (typeof receipt !== 'object' || Array.isArray(receipt)) throw simError('SIM_INVALID_INPUT', { detail: 'receipt must be an object' });
    echo.receiptMode = (receipt as Record<string, unknown>).mode;
  }
  return echo;
}

function subscriptionOf(body: Body, engine: Engine) {
  const raw = body.subscription;
  const sub = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Body) : {};
  const interval = optString(sub, 'interval') ?? '1month';
  if (!/^\d+(day|month|year)$/.test(interval)) throw simError('SIM_INVALID_INPUT', { detail: 'subscription.interval must look like 1day, 14day, 1month, 3month or 1year' });
  const date = (key: string): string | undefined => {
    const v = optString(sub, key);
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw simError('SIM_INVALID_INPUT', { detail: `subscription.${key} must be an ISO date` });
    return v === undefined ? undefined : new Date(v).toISOString();
  };
  const now = engine.now();
  return {
    id: engine.ids.uuid(),
    active: true,
    created: now,
    updated: now,
    expires: date('expiration') ?? null,
    startDate: date('dueDate') ?? new Date(now).toISOString(),
    interval,
    status: 'active' as const,
    payments: [],
  };
}
