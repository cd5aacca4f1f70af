// Per-process registry of exchanges being worked on, so a repeat while in flight joins the same wait (no second call).
import type { Settled } from '../exchange.js';

export interface InFlightEntry {
  /** Payload hash the owner confirmed against the journal (a joiner with another hash is a conflict). */
  readonly payloadHash: string;
  /** Settles with what the owner settled (or its error); every joiner renders and delivers its own reply from it. */
  readonly reply: Promise<Settled>;
  /** Resolves once the owner has checked the journal; until then payloadHash is only the owner's claim. */
  readonly ready: Promise<void>;
}

/** Keys are (scope, key) pairs; entries disappear as soon as their reply settles, so nothing accumulates. */
export class InFlight {
  readonly #entries = new Map<string, InFlightEntry>();

  /** The in-flight entry for (scope, key), if this process is working on it. */
  join(scope: string, key: string): InFlightEntry | undefined {
    return this.#entries.get(slot(scope, key));
  }

  /**
   * Registers the owner's reply promise; it is removed when the promise settles (resolved or rejected). The rejection
   * is observed here, so an owner failure with no joiners is not an unhandled rejection.
   */
  register(scope: string, key: string, reply: Promise<Settled>, payloadHash: string, ready: Promise<void> = Promise.resolve()): InFlightEntry {
    const id = slot(scope, key);
    if (this.#entries.has(id)) throw new Error('InFlight.register: (scope, key) is already in flight; join it instead');
    const entry: InFlightEntry = { payloadHash, reply, ready };
    this.#entries.set(id, entry);
    const remove = (): void => this.release(scope, key, entry);
    reply.then(remove, remove);
    return entry;
  }

  /** Removes the entry now (only if it is still this one), e.g. when the owner learns it was a conflict. */
  release(scope: string, key: string, entry: InFlightEntry): void {
    const id = slot(scope, key);
    if (this.#entries.get(id) === entry) this.#entries.delete(id);
  }

  /** Number of exchanges in flight (for metrics and leak tests). */
  get size(): number {
    return this.#entries.size;
  }
}

/** Unambiguous composite key: the scope's length prefixes it, so ('a/b','c') and ('a','b/c') never collide. */
function slot(scope: string, key: string): string {
  return `${scope.length}:${scope}/${key}`;
}
