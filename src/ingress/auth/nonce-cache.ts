// Remembers WS-Security nonces until their Created timestamp could no longer be accepted, so a captured token
// cannot be replayed. Bounded: when full of live nonces it refuses new ones (fail closed) instead of forgetting.

export class NonceCache {
  // Every entry lives for the same TTL, so insertion order is expiry order and purging only looks at the head.
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(ttlMs: number, maxEntries: number, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = Math.max(1, maxEntries);
    this.#now = now;
  }

  /** Records the nonce; false when it was already seen (replay) or the cache is full. */
  remember(key: string): boolean {
    const now = this.#now();
    for (const [k, expiresAt] of this.#seen) {
      if (expiresAt > now) break;
      this.#seen.delete(k);
    }
    if (this.#seen.has(key) || this.#seen.size >= this.#maxEntries) return false;
    this.#seen.set(key, now + this.#ttlMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}
