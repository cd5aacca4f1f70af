// Stage 0, prepare: before anything is written or sent, the mapping computes the idempotency key, the original is
// looked up (the one place to check who may act on it), and the call is planned. Nothing here reaches SensePass.
import { toGatewayError, type GatewayError } from '../../errors.js';
import type { InboundMessage } from '../../route/message.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { CallResult, CompiledMapping, MappingInput, PlannedCall, ReplyBuild } from '../map/index.js';

/** What the mapping decided before anything was written or sent. */
export interface Prepared {
  readonly mapping: CompiledMapping;
  readonly input: MappingInput;
  readonly message: InboundMessage;
  readonly key: string | undefined;
  readonly plan: PlannedCall;
  readonly original: Exchange | undefined;
  readonly originalTransaction: TransactionEntity | undefined;
}

export type PrepareEnd =
  | { readonly kind: 'prepared'; readonly prepared: Prepared }
  /** Refused before anything was sent: the mapping's answer for the error (its `when:` rules, or a fault). */
  | { readonly kind: 'answered'; readonly build: ReplyBuild };

export async function prepare(mapping: CompiledMapping, message: InboundMessage, deps: ExchangeDeps): Promise<PrepareEnd> {
  const input: MappingInput = { message: message.body, identity: message.identity };
  let original: Exchange | undefined;
  let originalTransaction: TransactionEntity | undefined;
  try {
    const key = await mapping.key(input);
    // Look up the original: the earlier exchange a Capture, Refund or Cancel refers to (by the POS's own reference).
    const lookup = await mapping.lookupKey(input);
    if (lookup !== undefined) {
      original = await deps.journal.findByKey(message.identity.name, lookup.key);
      if (original?.transactionNumber !== undefined && mapping.fetchOriginal) {
        originalTransaction = await deps.api.getTransaction(original.transactionNumber, deps.credentialsFor(message.identity));
      }
    }
    // Policy checks on the original (ownership, ceilings) belong here: after the lookup, before the plan.
    const plan = await mapping.plan(input, original, originalTransaction);
    return { kind: 'prepared', prepared: { mapping, input, message, key, plan, original, originalTransaction } };
  } catch (err) {
    return { kind: 'answered', build: await mapping.reply(input, errorResult(toGatewayError(err), original, originalTransaction)) };
  }
}

/** The mapping's view of a call: the looked-up original always, plus what this step learned. */
export function callResult(p: Prepared, learned: Partial<Omit<CallResult, 'original' | 'originalTransaction'>>): CallResult {
  return {
    outcome: undefined,
    transaction: undefined,
    response: undefined,
    error: undefined,
    ...learned,
    original: p.original,
    originalTransaction: p.originalTransaction,
  };
}

function errorResult(error: GatewayError, original: Exchange | undefined, originalTransaction: TransactionEntity | undefined): CallResult {
  return { outcome: undefined, transaction: undefined, response: undefined, original, originalTransaction, error };
}

export function isInit(plan: PlannedCall): boolean {
  return plan.call?.method === 'POST' && plan.call.path === '/transactions/init';
}
