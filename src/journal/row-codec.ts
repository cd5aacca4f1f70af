// Exchange <-> SQLite row: JSON text for reply, result and context, NULL for absent optional fields.
import type { Exchange, ExchangeState, SettledResult, StoredReply } from '../exchange/exchange.js';
import type { Outcome } from '../exchange/call/transaction.js';

export interface ExchangeRow {
  id: string;
  scope: string;
  key: string;
  mapping_id: string;
  payload_hash: string;
  state: string;
  transaction_number: string | null;
  outcome: string | null;
  reply: string | null;
  result: string | null;
  commit_link: string | null;
  deadline_at: number;
  created_at: number;
  updated_at: number;
  context: string;
}

/** Named parameters for the INSERT and UPDATE statements (better-sqlite3 binds by property name). */
export type ExchangeParams = Omit<ExchangeRow, never>;

export function toExchange(row: ExchangeRow): Exchange {
  return {
    id: row.id,
    scope: row.scope,
    key: row.key,
    mappingId: row.mapping_id,
    payloadHash: row.payload_hash,
    state: row.state as ExchangeState,
    transactionNumber: row.transaction_number ?? undefined,
    outcome: (row.outcome ?? undefined) as Outcome | undefined,
    reply: row.reply === null ? undefined : (JSON.parse(row.reply) as StoredReply),
    result: row.result === null ? undefined : (JSON.parse(row.result) as SettledResult),
    commitLink: row.commit_link ?? undefined,
    deadlineAt: row.deadline_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    context: JSON.parse(row.context) as Record<string, unknown>,
  };
}

export function toParams(exchange: Exchange): ExchangeParams {
  return {
    id: exchange.id,
    scope: exchange.scope,
    key: exchange.key,
    mapping_id: exchange.mappingId,
    payload_hash: exchange.payloadHash,
    state: exchange.state,
    transaction_number: exchange.transactionNumber ?? null,
    outcome: exchange.outcome ?? null,
    reply: exchange.reply === undefined ? null : JSON.stringify(exchange.reply),
    result: exchange.result === undefined ? null : JSON.stringify(exchange.result),
    commit_link: exchange.commitLink ?? null,
    deadline_at: exchange.deadlineAt,
    created_at: exchange.createdAt,
    updated_at: exchange.updatedAt,
    context: JSON.stringify(exchange.context),
  };
}
