// Refunds this gateway has sent per original TransactionNumber, so two refunds in quick succession cannot each see
// the full original as refundable before SensePass's entity shows the first. Reservations are taken before the call
// and either confirmed (money may have moved) or released (SensePass said no). Bounded memory: oldest forgotten.

const MAX_TRANSACTIONS = 10_000;
/** A reservation never settled (an exchange that ended without a reply) stops counting after this long. */
const PENDING_TTL_MS = 15 * 60_000;

interface Entry {
  confirmed: number;
  readonly pending: Map<symbol, { readonly amount: number; readonly at: number }>;
}

export interface Reservation {
  readonly transactionNumber: string;
  readonly token: symbol;
}

export class RefundLedger {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Minor units refunded (confirmed) or being refunded (pending) through this gateway for the transaction. */
  known(transactionNumber: string): { confirmed: number; pending: number } {
    const entry = this.#entries.get(transactionNumber);
    if (entry === undefined) return { confirmed: 0, pending: 0 };
    let pending = 0;
    const cutoff = this.#now() - PENDING_TTL_MS;
    for (const [token, p] of entry.pending) {
      if (p.at < cutoff) entry.pending.delete(token);
      else pending += p.amount;
    }
    return { confirmed: entry.confirmed, pending };
  }

  reserve(transactionNumber: string, amount: number): Reservation {
    let entry = this.#entries.get(transactionNumber);
    if (entry === undefined) {
      entry = { confirmed: 0, pending: new Map() };
      this.#entries.set(transactionNumber, entry);
      if (this.#entries.size > MAX_TRANSACTIONS) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    const token = Symbol('refund');
    entry.pending.set(token, { amount, at: this.#now() });
    return { transactionNumber, token };
  }

  /** moved = the refund may have happened (approved, or unknown): it keeps counting. Otherwise it is released. */
  settle(reservation: Reservation, moved: boolean): void {
    const entry = this.#entries.get(reservation.transactionNumber);
    const pending = entry?.pending.get(reservation.token);
    if (entry === undefined || pending === undefined) return;
    entry.pending.delete(reservation.token);
    if (moved) entry.confirmed += pending.amount;
  }
}
