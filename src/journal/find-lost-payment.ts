// Recovery after a crash between the journal write and the init answer: find the payment by the key it carries.
import type { SensePassCredentials } from '../config.js';
import type { PaymentApi } from '../exchange/call/payment-api.js';
import type { TransactionEntity } from '../exchange/call/transaction.js';
import type { Exchange } from '../exchange/exchange.js';

/** The exchange runner puts `posData[GATEWAY_KEY_FIELD] = gatewayKeyOf(scope, key)` on every payment it creates. */
export const GATEWAY_KEY_FIELD = 'gatewayKey';

export function gatewayKeyOf(scope: string, key: string): string {
  return `${scope}/${key}`;
}

export interface FindOptions {
  readonly now: () => number;
  /** Slack either side of [createdAt, now] for clock skew between the gateway and SensePass (default 10 min). */
  readonly windowMarginMs?: number;
  /** Page size for POST /transactions (SensePass allows 1–1000). */
  readonly pageSize?: number;
  /** Upper bound on pages read, so a huge branch cannot stall start-up forever (default 50). */
  readonly maxPages?: number;
}

/**
 * Every transaction created in the exchange's time window whose posData carries its gateway key. The filter is
 * applied here, client-side: the reference does not say whether SensePass can filter on posData fields ([GAP] §6.3).
 * Throws GW_UPSTREAM_* when the list cannot be read; `complete: false` when maxPages ran out. Only an empty and
 * complete result means "SensePass has no such payment".
 */
export async function findLostPayments(
  api: PaymentApi,
  credentials: SensePassCredentials,
  exchange: Exchange,
  options: FindOptions,
): Promise<{ readonly found: TransactionEntity[]; readonly complete: boolean }> {
  const margin = options.windowMarginMs ?? 600_000;
  const limit = options.pageSize ?? 1000;
  const maxPages = options.maxPages ?? 50;
  const wanted = gatewayKeyOf(exchange.scope, exchange.key);
  const startDate = new Date(exchange.createdAt - margin).toISOString();
  const endDate = new Date(Math.max(options.now(), exchange.createdAt) + margin).toISOString();
  const found: TransactionEntity[] = [];
  for (let page = 0; page < maxPages; page++) {
    const list = await api.listTransactions(
      { startDate, endDate, pagination: { limit, offset: page * limit }, orderBy: 'date' },
      credentials,
    );
    for (const tx of list) if (gatewayKeyIn(tx.posData) === wanted) found.push(tx);
    if (list.length < limit) return { found, complete: true };
  }
  // Not every page was read: an empty result proves nothing.
  return { found, complete: false };
}

/** The gateway key in posData as sent (an object) or as some SensePass versions echo it (a JSON string). */
export function gatewayKeyIn(posData: unknown): string | undefined {
  let data = posData;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const value = (data as Record<string, unknown>)[GATEWAY_KEY_FIELD];
  return typeof value === 'string' ? value : undefined;
}
