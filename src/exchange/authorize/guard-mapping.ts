// The policy around one mapping (mapped or pass-through): before the plan, "may this identity use it"; after the
// plan, "may it make this call" — ownership of every TransactionNumber the call names, money going out, and the
// fields a POS must not set. Refusals are thrown inside plan(), so nothing is journaled or sent, and the mapping's
// own reply renders them (a mapping's `when: GW_MAP_ORIGINAL_NOT_FOUND` is its "not found").
import { gwError, isGatewayError, type GatewayError } from '../../errors.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { CallResult, CompiledMapping, MappingInput, PlannedCall, ReplyBuild } from '../map/index.js';
import type { Target } from './allow-list.js';
import type { AuthorizeDeps } from './authorize-deps.js';
import { callTarget, FAMILY_PREFIX } from './call-target.js';
import { checkMoneyOut } from './money-out.js';
import { gatewayKeyIn } from '../../journal/index.js';
import { ownedEntity, transactionNotFound } from './ownership.js';
import { withCappedTimeOut, withoutPosOnlyFields } from './pos-fields.js';
import type { Reservation } from './refund-ledger.js';

/** How the request reached the mapping: a mapped operation, or a pass-through path of a dialect family. */
export type Route =
  | { readonly kind: 'mapped' }
  | { readonly kind: 'pass-through'; readonly family: string; readonly method: string; readonly path: string; readonly sync: boolean };

// Calls that move money out (or charge a card) and are checked against the policy's ceilings and bounds.
const MONEY_PATHS: ReadonlySet<string> = new Set(['/transactions/refund', '/transactions/credit', '/transactions/pay', '/transactions/void']);

// Errors that prove a refund was not carried out (its reservation is released); any other keeps counting.
const DEFINITE_NO: ReadonlySet<string> = new Set(['GW_UPSTREAM_REJECTED', 'GW_UPSTREAM_AUTH', 'GW_FORBIDDEN', 'GW_TRANSACTION_NOT_FOUND']);

export function guardMapping(mapping: CompiledMapping, route: Route, deps: AuthorizeDeps): CompiledMapping {
  const reservations = new WeakMap<MappingInput, Reservation>();

  const plan = async (input: MappingInput, original: Exchange | undefined, originalTransaction?: TransactionEntity): Promise<PlannedCall> => {
    const name = input.identity.name;
    const policy = deps.policies.of(name);
    if (!policy.allow.allows(targetOf(mapping, route))) throw refuse(deps, name, describe(mapping, route), 'not in the allow-list');
    const planned = await mapping.plan(input, original, originalTransaction);
    const call = planned.call;
    if (call === undefined) return planned;
    let patchOwner: TransactionEntity | undefined;
    const target = callTarget(call);
    if (policy.sharedDevice && target.canonical.startsWith('/transactions/cancelByDeviceId/')) {
      throw refuse(deps, name, describe(mapping, route), 'cancelByDeviceId on a device shared with another identity (cancel by number)');
    }
    if (Object.keys(call.body ?? {}).some((k) => k !== 'transactionNumber' && k.toLowerCase() === 'transactionnumber')) {
      // A number under another spelling would escape the ownership check if SensePass read it; never guess.
      throw refuse(deps, name, describe(mapping, route), 'transactionNumber spelled another way');
    }
    const money = call.method === 'POST' && MONEY_PATHS.has(target.canonical);
    // Only calls on a transaction or moving money out are checked; the same request again is the exchange's to
    // join or replay (its first run was checked), so a completed full refund replays instead of being refused.
    if ((target.transactionNumbers.length > 0 || money) && !(await isOwnRepeat(mapping, input, deps))) {
      const needsEntity = money || call.method === 'PATCH';
      const entities = new Map<string, TransactionEntity>();
      const journalCharged = new Map<string, number>();
      const credentials = deps.credentialsFor(input.identity);
      for (const n of target.transactionNumbers) {
        // A mapped original was found in this identity's own journal scope: it is the caller's by construction.
        const ownOriginal = route.kind === 'mapped' && original?.transactionNumber === n;
        const entity = ownOriginal
          ? needsEntity ? (originalTransaction ?? (await deps.api.getTransaction(n, credentials))) : undefined
          : await ownedEntity(n, name, credentials, deps);
        if (!ownOriginal && entity === undefined) {
          deps.logger.info({ client: name, call: describe(mapping, route) }, 'transaction unknown or not owned by this client; answered as not found');
          throw route.kind === 'mapped' ? gwError('GW_MAP_ORIGINAL_NOT_FOUND', { reference: 'this transaction' }) : transactionNotFound();
        }
        if (entity === undefined) continue;
        entities.set(n, entity);
        if (target.canonical !== '/transactions/refund') continue;
        const charged = ownOriginal ? chargedIn(original) : await journalChargedFor(entity, name, deps);
        if (charged !== undefined) journalCharged.set(n, charged);
      }
      const decision = checkMoneyOut(call, target.canonical, policy, { entities, journalCharged, ledger: deps.ledger });
      if ('refused' in decision) throw refuse(deps, name, describe(mapping, route), decision.refused);
      if (decision.reservation !== undefined) reservations.set(input, decision.reservation);
      if (call.method === 'PATCH' && call.body?.posData !== undefined) patchOwner = entities.get(target.transactionNumbers[0] ?? '');
    }
    if (call.body === undefined) return planned;
    const cleaned = withoutPosOnlyFields(call.body);
    if (cleaned.removed.length > 0) deps.logger.info({ client: name, fields: cleaned.removed }, 'fields a POS must not set were removed');
    let body = cleaned.body;
    if (call.method === 'POST' && target.canonical === '/transactions/init') {
      body = withCappedTimeOut(body, deps.maxPaymentTimeoutSeconds, deps.defaultTimeOutSeconds);
    }
    if (call.method === 'PATCH' && body.posData !== undefined) body = keepOwnerKey(body, patchOwner);
    return { ...planned, call: { ...call, body } };
  };

  const reply = async (input: MappingInput, result: CallResult): Promise<ReplyBuild> => {
    const reservation = reservations.get(input);
    if (reservation !== undefined) {
      reservations.delete(input);
      deps.ledger.settle(reservation, !definitelyNotRefunded(result));
    }
    return mapping.reply(input, result);
  };

  // Everything but plan and reply is the mapping's own (compiled mappings are plain frozen objects of closures).
  return Object.freeze({ ...mapping, plan, reply });
}

function targetOf(mapping: CompiledMapping, route: Route): Target {
  if (route.kind === 'mapped') return { kind: 'mapping', id: mapping.id };
  const canonical = callTarget({ method: route.method as 'GET', path: route.path }).canonical;
  const prefix = FAMILY_PREFIX[route.family] ?? `/${route.family}`;
  return { kind: 'path', method: route.method, path: `${prefix}${canonical}${route.sync ? '/sync' : ''}` };
}

function describe(mapping: CompiledMapping, route: Route): string {
  const t = targetOf(mapping, route);
  return t.kind === 'mapping' ? t.id : `${t.method} ${t.path}`;
}

function refuse(deps: AuthorizeDeps, client: string, what: string, reason: string): GatewayError {
  deps.logger.warn({ client, call: what, reason }, 'request refused by policy');
  return gwError('GW_FORBIDDEN');
}

/** The same request again (same key, same mapping) is joined or replayed by the exchange; nothing new is sent. */
async function isOwnRepeat(mapping: CompiledMapping, input: MappingInput, deps: AuthorizeDeps): Promise<boolean> {
  const key = await mapping.key(input);
  if (key === undefined) return false;
  const existing = await deps.journal.findByKey(input.identity.name, key);
  return existing !== undefined && existing.mappingId === mapping.id;
}

function chargedIn(exchange: Exchange | undefined): number | undefined {
  const amount = exchange?.context.amount;
  return exchange?.outcome === 'APPROVED' && typeof amount === 'number' && Number.isSafeInteger(amount) ? amount : undefined;
}

/** The journal's figure for a payment this identity created: its entry is found by the key in posData.gatewayKey. */
async function journalChargedFor(entity: TransactionEntity, name: string, deps: AuthorizeDeps): Promise<number | undefined> {
  const key = gatewayKeyIn(entity.posData);
  if (key === undefined || !key.startsWith(`${name}/`)) return undefined;
  const exchange = await deps.journal.findByKey(name, key.slice(name.length + 1));
  return exchange?.transactionNumber === entity.TransactionNumber ? chargedIn(exchange) : undefined;
}

/** A PATCH that replaces posData keeps the owner's gatewayKey (ownership and recovery read it). */
function keepOwnerKey(body: Record<string, unknown>, entity: TransactionEntity | undefined): Record<string, unknown> {
  const key = entity === undefined ? undefined : gatewayKeyIn(entity.posData);
  if (key === undefined) return body;
  const posData = body.posData;
  const base = typeof posData === 'object' && posData !== null && !Array.isArray(posData) ? posData : { pos: posData };
  return { ...body, posData: { ...base, gatewayKey: key } };
}

function definitelyNotRefunded(result: CallResult): boolean {
  if (result.error !== undefined) return isGatewayError(result.error) && DEFINITE_NO.has(result.error.code);
  const r = result.response as { errorCode?: unknown; result?: unknown } | undefined;
  return typeof r?.errorCode === 'number' && r.errorCode !== 0;
}
