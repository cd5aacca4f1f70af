// Authorization ("may they"), between authentication (ingress/auth decides who) and the exchange: per-identity
// allow-lists, ceilings for money going out, ownership of TransactionNumbers, fields a POS must not set, and
// payments in flight. One refusal code for every reason: GW_FORBIDDEN (docs/security.md "Authorization").
import type { Config, SensePassCredentials } from '../../config.js';
import { gwError } from '../../errors.js';
import type { Journal } from '../../journal/journal.js';
import type { Logger } from '../../log.js';
import type { ClientIdentity } from '../../route/message.js';
import type { PaymentApi } from '../call/payment-api.js';
import type { CompiledMapping, MappingRegistry } from '../map/index.js';
import type { Target } from './allow-list.js';
import type { AuthorizeDeps } from './authorize-deps.js';
import { guardMapping, type Route } from './guard-mapping.js';
import { compilePolicies, type Policies } from './policy.js';
import { RefundLedger } from './refund-ledger.js';

export { withInFlightCap } from './in-flight-cap.js';
export { withCappedTimeOut, withoutPosOnlyFields } from './pos-fields.js';
export { DEFAULT_ALLOW } from './policy.js';
export type { Route } from './guard-mapping.js';
export type { Target } from './allow-list.js';

export interface Authorizer {
  readonly policies: Policies;
  /** The mapping with the policy around its plan (pass-through mappings are built per request and guarded then). */
  guard(mapping: CompiledMapping, route: Route): CompiledMapping;
  /** Every mapped operation guarded, once, at start-up. */
  guardRegistry(registry: MappingRegistry): MappingRegistry;
  /** GW_FORBIDDEN unless the identity's allow-list admits the target (routes answered outside the exchange). */
  assertAllowed(identity: ClientIdentity, target: Target): void;
  /** limits.maxPaymentTimeoutSeconds / dialects.defaultTimeOutSeconds, for the dialects' sync deadline. */
  readonly maxPaymentTimeoutSeconds: number;
  readonly defaultTimeOutSeconds: number;
}

export interface AuthorizerParts {
  readonly api: PaymentApi;
  readonly journal: Journal;
  readonly logger: Logger;
  readonly now: () => number;
  readonly credentialsFor: (identity: ClientIdentity) => SensePassCredentials;
}

export function createAuthorizer(config: Config, parts: AuthorizerParts): Authorizer {
  const deps: AuthorizeDeps = {
    policies: compilePolicies(config),
    api: parts.api,
    journal: parts.journal,
    credentialsFor: parts.credentialsFor,
    ledger: new RefundLedger(parts.now),
    logger: parts.logger,
    maxPaymentTimeoutSeconds: config.limits.maxPaymentTimeoutSeconds,
    defaultTimeOutSeconds: config.dialects.defaultTimeOutSeconds,
  };
  const guard = (mapping: CompiledMapping, route: Route) => guardMapping(mapping, route, deps);
  return Object.freeze({
    policies: deps.policies,
    maxPaymentTimeoutSeconds: deps.maxPaymentTimeoutSeconds,
    defaultTimeOutSeconds: deps.defaultTimeOutSeconds,
    guard,
    guardRegistry(registry: MappingRegistry): MappingRegistry {
      const guarded = new Map<CompiledMapping, CompiledMapping>();
      for (const m of registry.all()) guarded.set(m, guard(m, { kind: 'mapped' }));
      const wrap = (m: CompiledMapping | undefined) => (m === undefined ? undefined : guarded.get(m) ?? guard(m, { kind: 'mapped' }));
      const all = Object.freeze([...guarded.values()]);
      return Object.freeze({
        all: () => all,
        byId: (id: string) => wrap(registry.byId(id)),
        forSoap: (service: string, operation: string) => wrap(registry.forSoap(service, operation)),
        forXml: (p: string, root: string) => wrap(registry.forXml(p, root)),
        warnings: () => registry.warnings(),
      });
    },
    assertAllowed(identity: ClientIdentity, target: Target): void {
      if (deps.policies.of(identity.name).allow.allows(target)) return;
      const what = target.kind === 'mapping' ? target.id : `${target.method} ${target.path}`;
      deps.logger.warn({ client: identity.name, call: what, reason: 'not in the allow-list' }, 'request refused by policy');
      throw gwError('GW_FORBIDDEN');
    },
  });
}
