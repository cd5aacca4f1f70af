// Counts failed authentications per client address in fixed one-minute windows; memory is bounded by maxEntries.

const WINDOW_MS = 60_000;

interface Entry {
  count: number;
  readonly resetAt: number;
}

export class FailureLimiter {
  // Insertion order equals window-start order, so expired entries are always at the head.
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  /** maxPerMinute 0 disables limiting. */
  constructor(maxPerMinute: number, maxEntries: number, now: () => number) {
    this.#max = maxPerMinute;
    this.#maxEntries = Math.max(1, maxEntries);
    this.#now = now;
  }

  isLimited(address: string): boolean {
    if (this.#max === 0) return false;
    this.#purge();
    const e = this.#entries.get(address);
    return e !== undefined && e.count >= this.#max;
  }

  recordFailure(address: string): void {
    if (this.#max === 0) return;
    this.#purge();
    const e = this.#entries.get(address);
    if (e !== undefined) {
      e.count++;
      return;
    }
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(address, { count: 1, resetAt: this.#now() + WINDOW_MS });
  }

  get size(): number {
    return this.#entries.size;
  }

  #purge(): void {
    const now = this.#now();
    for (const [key, e] of this.#entries) {
      if (e.resetAt > now) return;
      this.#entries.delete(key);
    }
  }
}
