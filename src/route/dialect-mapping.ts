// A pass-through "mapping" for the SensePass dialect and Terminal Agent endpoints: the client already speaks
// SensePass JSON, so there are no expressions — but it runs through the same exchange (journal before the call,
// await, stored replies, commit after delivery) by implementing the CompiledMapping contract directly.
import { gwError } from '../errors.js';
import type { UpstreamCall } from '../exchange/call/payment-api.js';
import { PAYMENT_PATHS } from '../exchange/map/compile-call.js';
import type { CallResult, CompiledMapping, MappingInput, PlannedCall, ReplyBuild } from '../exchange/map/index.js';
import { findSecretKey } from '../journal/index.js';

export interface PassthroughSpec {
  /** The SensePass call; its body is the request's JSON (credential fields already removed). */
  readonly method: UpstreamCall['method'];
  readonly path: string;
  /** Wait for a final status (the synchronous init variants), with this deadline. */
  readonly await: { readonly deadlineMs: number } | undefined;
  /** The client's idempotency key, already namespaced; payments without one get a per-request key. */
  readonly key: string | undefined;
  /** Which family of endpoints (journal mappingId prefix, e.g. "sensepass-xml"). */
  readonly family: string;
}

/** The reply the exchange stores and egress renders: SensePass's JSON answer and the HTTP status it came with. */
export interface PassthroughReply {
  readonly body: unknown;
  readonly status: number;
}

export function createsPayment(method: string, path: string): boolean {
  return method === 'POST' && PAYMENT_PATHS.has(path);
}

export function passthroughMapping(spec: PassthroughSpec): CompiledMapping {
  const payment = createsPayment(spec.method, spec.path);
  // What the journal stores must hold no card data or token (its guard refuses them); unjournaled reads pass whole.
  const journaled = spec.key !== undefined || payment;
  const sync = spec.await === undefined ? '' : ' sync';
  return {
    id: `${spec.family}:${spec.method} ${spec.path}${sync}`,
    file: '(built in)',
    posSystem: spec.family,
    answers: { kind: 'xml', path: spec.path, root: 'SensePass' },
    createsPayment: payment,
    fetchOriginal: false,
    key: async () => spec.key,
    lookupKey: async () => undefined,
    async plan(input: MappingInput): Promise<PlannedCall> {
      const call: UpstreamCall = spec.method === 'GET' ? { method: 'GET', path: spec.path } : { method: spec.method, path: spec.path, body: input.message };
      return {
        call,
        createsPayment: payment,
        await: spec.await === undefined ? undefined : { deadlineMs: spec.await.deadlineMs, onDeadline: 'cancel' },
        context: contextOf(spec, input.message),
      };
    },
    async reply(_input: MappingInput, result: CallResult): Promise<ReplyBuild> {
      if (result.error !== undefined) return { kind: 'fault', code: result.error.code, params: result.error.params };
      // Not final by the deadline: no "not charged" without proof; the same request again gets the final answer.
      if (result.outcome === 'UNKNOWN') return { kind: 'fault', code: 'GW_OUTCOME_UNKNOWN', params: {} };
      const body = result.transaction ?? result.response;
      const value: PassthroughReply = { body: journaled ? withoutSecrets(body) : body, status: result.httpStatus ?? 200 };
      return { kind: 'reply', value: { ...value }, outcome: result.outcome };
    },
  };
}

/** Non-secret journal context: where the call went and, for payments, the amount and currency as sent. */
function contextOf(spec: PassthroughSpec, body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const context: Record<string, unknown> = { via: spec.family, path: spec.path };
  if (typeof body.amount === 'number' && Number.isSafeInteger(body.amount) && body.isCent === true) context.amount = body.amount;
  if (typeof body.currency === 'string') context.currency = body.currency.slice(0, 8);
  return context;
}

/**
 * A copy without any key the journal refuses (tokens, card data, keys): e.g. a Tokenize entity's
 * `paymentDetails.token`. Read the token with an unkeyed `GET transactions/{n}`, which is never journaled.
 */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (findSecretKey({ [k]: null }) !== undefined) continue;
    out[k] = withoutSecrets(v, depth + 1);
  }
  return out;
}
