// Runs a mapping end to end without a network: request → planned SensePass call → reply, from recorded answers.
// Shared by `sensepass-gateway try` and the golden-case runner, so both exercise exactly what the exchange does.
import { gwError, isGatewayError, toGatewayError, type ErrorCode, type ErrorParams, type GatewayError } from '../errors.js';
import { outcomeOf, type Outcome, type TransactionEntity } from '../exchange/call/transaction.js';
import type { Exchange } from '../exchange/exchange.js';
import type { CompiledMapping, MappingInput, PlannedCall, ReplyBuild } from '../exchange/map/index.js';

/** What SensePass answered, as recorded in a golden case's upstream.json (every field optional). */
export interface UpstreamFixture {
  /** The call's JSON answer. */
  readonly response?: unknown;
  readonly httpStatus?: number;
  /** Final entity after awaiting (or use `events`). */
  readonly transaction?: TransactionEntity;
  /** Entities as notifications delivered them; the last one decides the outcome. */
  readonly events?: readonly TransactionEntity[];
  /** The call failed with this catalogue error. */
  readonly error?: { readonly code: ErrorCode; readonly params?: ErrorParams };
  /** GET /transactions/{original} answer, for mappings with lookup.fetch. */
  readonly originalTransaction?: TransactionEntity;
}

export interface OfflineResult {
  readonly key: string | undefined;
  readonly lookup: { key: string; required: boolean } | undefined;
  readonly plan: PlannedCall | undefined;
  readonly reply: ReplyBuild;
}

/** The original as the journal would hold it; only fields a mapping can see are needed. */
export type OriginalFixture = Partial<Exchange> & { readonly key: string };

export async function runOffline(
  mapping: CompiledMapping,
  input: MappingInput,
  fixtures: { upstream?: UpstreamFixture | undefined; original?: OriginalFixture | undefined },
): Promise<OfflineResult> {
  const upstream = fixtures.upstream ?? {};
  let key: string | undefined;
  let lookup: OfflineResult['lookup'];
  let original: Exchange | undefined;
  let plan: PlannedCall | undefined;
  const fail = async (err: unknown): Promise<OfflineResult> => {
    const error = asCatalogueError(err);
    const reply = await mapping.reply(input, { outcome: undefined, transaction: undefined, response: undefined, original, error });
    return { key, lookup, plan, reply };
  };
  try {
    key = await mapping.key(input);
    lookup = await mapping.lookupKey(input);
    // Like the journal: the original is found only under the exact key the lookup computes.
    if (lookup !== undefined && fixtures.original?.key === lookup.key) original = asExchange(fixtures.original);
    const originalTransaction = mapping.fetchOriginal && original !== undefined ? upstream.originalTransaction : undefined;
    plan = await mapping.plan(input, original, originalTransaction);
  } catch (err) {
    return fail(err);
  }
  if (plan.call !== undefined && upstream.error !== undefined) {
    return fail(gwError(upstream.error.code, upstream.error.params ?? {}));
  }
  let transaction: TransactionEntity | undefined;
  let outcome: Outcome | undefined;
  if (plan.await !== undefined) {
    transaction = upstream.transaction ?? upstream.events?.at(-1) ?? (upstream.response as TransactionEntity | undefined);
    outcome = transaction === undefined ? 'UNKNOWN' : (outcomeOf(transaction.status) ?? 'UNKNOWN');
  }
  const reply = await mapping.reply(input, {
    outcome,
    transaction,
    response: upstream.response,
    original,
    originalTransaction: mapping.fetchOriginal ? upstream.originalTransaction : undefined,
    httpStatus: upstream.httpStatus,
    error: undefined,
  });
  return { key, lookup, plan, reply };
}

function asCatalogueError(err: unknown): GatewayError {
  return isGatewayError(err) ? err : toGatewayError(err);
}

function asExchange(o: OriginalFixture): Exchange {
  return {
    id: o.id ?? 'original',
    scope: o.scope ?? 'anonymous',
    key: o.key,
    mappingId: o.mappingId ?? '',
    payloadHash: o.payloadHash ?? '',
    state: o.state ?? 'DELIVERED',
    transactionNumber: o.transactionNumber,
    outcome: o.outcome,
    deadlineAt: o.deadlineAt ?? 0,
    createdAt: o.createdAt ?? 0,
    updatedAt: o.updatedAt ?? 0,
    context: o.context ?? {},
  };
}
