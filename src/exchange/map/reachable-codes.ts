// Which gateway error codes can ever reach a mapping's `when:` / `faults:` / `errors:` for one operation. Replies
// for error codes are rendered for every fault raised once the operation is known (see contract-error.ts), so a
// key is unreachable only when nothing in that mapping's path can raise the code; such a key is a mapping mistake.

export interface MappingShape {
  readonly protocol: 'soap' | 'xml';
  readonly hasKey: boolean;
  readonly hasCall: boolean;
  readonly createsPayment: boolean;
  readonly hasLookup: boolean;
  readonly lookupRequired: boolean;
  readonly lookupFetch: boolean;
}

/** Raised before the operation (and so its mapping) is known: malformed envelopes, routing, transport. */
const BEFORE_ROUTING = [/^GW_INGRESS_/, /^GW_SOAP_(NOT_ENVELOPE|VERSION_MISMATCH|MUST_UNDERSTAND)$/, /^GW_ROUTE_/];
/** Start-up, other endpoints (dialect, agent, callbacks): never raised while a mapped operation runs. */
const NEVER = [/^GW_CONFIG_/, /^GW_MAPPING_INVALID$/, /^GW_WSDL_INVALID$/, /^GW_DIALECT_/, /^GW_AGENT_/, /^GW_CALLBACK_/];
/** Codes a mapping itself answers with (`faults:`); the gateway never raises them for a mapping to catch. */
const OUTCOME_FAULTS: Readonly<Record<string, string>> = {
  GW_OUTCOME_UNKNOWN: 'use the outcome UNKNOWN as the key',
  GW_PAYMENT_DECLINED: 'use the outcomes DECLINED, FAILED, CANCELLED or TIMED_OUT as keys',
};

/** undefined when `code` can reach this mapping; otherwise why not and what to do. */
export function unreachableReason(code: string, m: MappingShape): string | undefined {
  if (BEFORE_ROUTING.some((re) => re.test(code))) return 'it is raised before the operation is known, so no mapping can answer it';
  if (NEVER.some((re) => re.test(code))) return 'it is never raised while a mapped operation runs';
  const outcome = OUTCOME_FAULTS[code];
  if (outcome !== undefined) return `the gateway never raises it for a mapping to catch; ${outcome}`;
  const journaled = m.hasCall && (m.hasKey || m.createsPayment);
  switch (code) {
    case 'GW_SCHEMA_VIOLATION':
      return m.protocol === 'xml' ? 'plain XML requests are not checked against a schema; remove this key' : undefined;
    case 'GW_IDEMPOTENCY_CONFLICT':
      if (!m.hasKey) return 'the mapping has no "key", so no request can conflict with an earlier one; add a key or remove this entry';
      return m.hasCall ? undefined : 'the mapping makes no call, so nothing is journaled under its key';
    case 'GW_MAP_ORIGINAL_NOT_FOUND':
      return m.lookupRequired ? undefined : 'it is raised only by a lookup with required: true';
    case 'GW_JOURNAL_UNAVAILABLE':
    case 'GW_JOURNAL_SCHEMA_NEWER':
    case 'GW_JOURNAL_ILLEGAL_TRANSITION':
    case 'GW_JOURNAL_ENTRY_NOT_FOUND':
    case 'GW_JOURNAL_SECRET_REFUSED':
      return journaled || m.hasLookup ? undefined : 'the mapping neither looks up nor journals anything (no lookup, no key, no payment call)';
    case 'GW_AUTH_NO_CREDENTIALS':
    case 'GW_UPSTREAM_TIMEOUT':
    case 'GW_UPSTREAM_UNAVAILABLE':
    case 'GW_UPSTREAM_REJECTED':
    case 'GW_UPSTREAM_AUTH':
    case 'GW_UPSTREAM_BAD_RESPONSE':
      return m.hasCall || m.lookupFetch ? undefined : 'the mapping never calls SensePass (no call, no lookup.fetch)';
    default:
      return undefined;
  }
}
