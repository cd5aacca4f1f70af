// The exchange's plan as the mapping made it, before anything was written or sent, and small helpers on it.
import type { GatewayError } from '../errors.js';
import type { InboundMessage } from '../route/message.js';
import type { TransactionEntity } from './call/transaction.js';
import type { Exchange } from './exchange.js';
import type { CallResult, CompiledMapping, MappingInput, PlannedCall } from './map/index.js';

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

export function errorResult(error: GatewayError, original: Exchange | undefined, originalTransaction: TransactionEntity | undefined): CallResult {
  return { outcome: undefined, transaction: undefined, response: undefined, original, originalTransaction, error };
}

export function isInit(plan: PlannedCall): boolean {
  return plan.call?.method === 'POST' && plan.call.path === '/transactions/init';
}
