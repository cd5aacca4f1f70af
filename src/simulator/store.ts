// In-memory state of one simulator: transactions, tokens, subscriptions and the counters /_sim/stats reports.
import type { Card, MethodName, SimTransaction } from './model.js';

export interface TokenRecord {
  readonly token: string;
  readonly kind: MethodName;
  /** The transaction whose approval (or latest re-authorization) made this hold. */
  sourceNumber: string;
  currency: string | undefined;
  readonly card: Card;
  /** Authorize tokens: the hold, what was captured from it, and whether it is still usable. */
  authorizedCents: number;
  capturedCents: number;
  captures: string[];
  state: 'open' | 'voided' | 'closed';
}

export interface Counters {
  initCalls: number;
  commits: number;
  commitCalls: number;
  reversals: number;
  refunds: number;
  callbacksSent: number;
  callbacksFailed: number;
  callbacksAbandoned: number;
  cancelCalls: number;
  socketEvents: number;
  socketEventsDropped: number;
}

const zeroCounters = (): Counters => ({
  initCalls: 0, commits: 0, commitCalls: 0, reversals: 0, refunds: 0, callbacksSent: 0, callbacksFailed: 0,
  callbacksAbandoned: 0, cancelCalls: 0, socketEvents: 0, socketEventsDropped: 0,
});

export class Store {
  readonly transactions = new Map<string, SimTransaction>();
  readonly tokens = new Map<string, TokenRecord>();
  /** subscription id → parent transaction number */
  readonly subscriptions = new Map<string, string>();
  counters: Counters = zeroCounters();

  add(tx: SimTransaction): void {
    this.transactions.set(tx.number, tx);
  }

  get(n: string): SimTransaction | undefined {
    return this.transactions.get(n);
  }

  byStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let s = 0; s <= 13; s++) out[String(s)] = 0;
    for (const tx of this.transactions.values()) out[String(tx.status)] = (out[String(tx.status)] ?? 0) + 1;
    return out;
  }

  /** Newest first. */
  all(): SimTransaction[] {
    return [...this.transactions.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  clear(): void {
    this.transactions.clear();
    this.tokens.clear();
    this.subscriptions.clear();
    this.counters = zeroCounters();
  }
}
