// Each identity's policy, compiled once from config: the allow-list (or the safe default), rawCardPay, ceilings
// for money going out and payments in flight. Anonymous callers get the top-level `anonymous` block.
import type { Config } from '../../config.js';
import { compileAllowList, type AllowList } from './allow-list.js';

export interface Ceilings {
  readonly refund: number | undefined;
  readonly credit: number | undefined;
  readonly capture: number | undefined;
  readonly void: number | undefined;
}

export interface ClientPolicy {
  readonly allow: AllowList;
  readonly rawCardPay: boolean;
  readonly ceilings: Ceilings;
  readonly maxInFlight: number | undefined;
  /** Another identity pays on the same SensePass device: cancelByDeviceId could cancel its payment, so it is refused. */
  readonly sharedDevice: boolean;
}

/**
 * The default allow-list: every mapped operation (the merchant wrote those mappings), and the pass-through calls a
 * till needs for its own payments. Not in it: `/transactions` (lists every payment), `/transactions/credit` (money
 * to any card), `/transactions/authorize` (a token of unknown owner), settlements, devices, subscriptions, the SDK's
 * commit and anything SensePass adds later. Calls on a TransactionNumber are further limited to the caller's own.
 */
export const DEFAULT_ALLOW: readonly string[] = Object.freeze([
  '*',
  '/api*/transactions/init',
  '/api*/transactions/init/sync',
  '/api*/transactions/{n}',
  '/api*/transactions/{n}/readyForPayment',
  '/api*/transactions/{n}/closeAuth',
  '/api*/transactions/cancel/{n}',
  '/api*/transactions/cancelByDeviceId/{deviceId}',
  '/api*/transactions/commitPayment/{n}',
  '/api*/transactions/refund',
  '/api*/transactions/pay',
  '/api*/transactions/void',
  '/api*/transactions/customer-input',
  '/api*/transactions/customer-input/reset',
  '/api/transactions/products/update',
  'GET /api/transactions/last',
  'GET /api/devices',
]);

type PolicyInput = Config['anonymous'];

export interface Policies {
  /** The policy of an identity name ('anonymous' or a `clients` key); an unknown name gets nothing allowed. */
  of(name: string): ClientPolicy;
}

export function compilePolicies(config: Pick<Config, 'clients' | 'anonymous' | 'derived'>): Policies {
  const devices = new Map<string, string | undefined>([['anonymous', config.derived.defaultCredentials?.deviceId]]);
  for (const [name, client] of Object.entries(config.clients)) devices.set(name, client.sensepass?.deviceId);
  const shared = (name: string): boolean => {
    const own = devices.get(name);
    return own !== undefined && [...devices].some(([other, d]) => other !== name && d === own);
  };
  const byName = new Map<string, ClientPolicy>();
  byName.set('anonymous', compilePolicy(config.anonymous, shared('anonymous')));
  for (const [name, client] of Object.entries(config.clients)) byName.set(name, compilePolicy(client, shared(name)));
  const nothing = compilePolicy({ allow: [], rawCardPay: false, ceilings: {}, maxInFlight: undefined }, true);
  return Object.freeze({ of: (name: string) => byName.get(name) ?? nothing });
}

function compilePolicy(input: Pick<PolicyInput, 'allow' | 'rawCardPay' | 'ceilings' | 'maxInFlight'>, sharedDevice: boolean): ClientPolicy {
  return Object.freeze({
    allow: compileAllowList(input.allow ?? DEFAULT_ALLOW),
    rawCardPay: input.rawCardPay,
    ceilings: Object.freeze({
      refund: input.ceilings.refund,
      credit: input.ceilings.credit,
      capture: input.ceilings.capture,
      void: input.ceilings.void,
    }),
    maxInFlight: input.maxInFlight,
    sharedDevice,
  });
}
