// Callbacks to callbackURL on every status change (reference §8.2): signed with HMAC, retried with back-off.
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { FaultSwitches } from './faults.js';
import type { Random } from './random.js';
import type { Scheduler } from './scheduler.js';
import type { Counters } from './store.js';

export interface CallbackSettings {
  readonly secret: string;
  readonly encoding: 'hex' | 'base64';
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

/** HMAC-SHA256(secret, randomKey + payload): payload is the raw body for POST, empty for GET [GAP → our choice]. */
export function signCallback(secret: string, randomKey: string, payload: string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(randomKey + payload, 'utf8').digest(encoding);
}

interface Delivery {
  readonly url: string;
  readonly method: 'POST' | 'GET';
  readonly transactionNumber: string;
  readonly body: string;
  attempt: number;
}

export class CallbackSender {
  private seq = 0;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly settings: CallbackSettings,
    private readonly scheduler: Scheduler,
    private readonly faults: FaultSwitches,
    private readonly random: Random,
    private readonly counters: () => Counters,
    private readonly log: Logger,
  ) {}

  /** Queues delivery of one status change; the entity is serialised now, so later changes do not alter it. */
  deliver(url: string, method: 'POST' | 'GET', transactionNumber: string, entity: unknown): void {
    const d: Delivery = { url, method, transactionNumber, body: method === 'POST' ? JSON.stringify(entity) : '', attempt: 0 };
    this.scheduler.after(0, () => void this.attempt(d), `cb:${transactionNumber}:${++this.seq}`);
  }

  /** Aborts requests in flight; pending retries are the scheduler's and die with it. */
  close(): void {
    this.closed = true;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  private async attempt(d: Delivery): Promise<void> {
    if (this.closed) return;
    d.attempt++;
    let ok = false;
    let status: number | undefined;
    if (!this.faults.takeCallbackFailure()) {
      const controller = new AbortController();
      this.inFlight.add(controller);
      const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
      try {
        const randomKey = this.random.hex(32);
        const signature = signCallback(this.settings.secret, randomKey, d.body, this.settings.encoding);
        const headers: Record<string, string> = { 'HMAC-Random-Key': randomKey, 'HMAC-Authorization': signature };
        let target = d.url;
        if (d.method === 'GET') {
          const u = new URL(d.url);
          u.searchParams.set('TransactionNumber', d.transactionNumber);
          u.searchParams.set('callbackType', 'transaction_status');
          target = u.toString();
        } else headers['Content-Type'] = 'application/json';
        const res = await fetch(target, {
          method: d.method,
          headers,
          ...(d.method === 'POST' ? { body: d.body } : {}),
          signal: controller.signal,
          redirect: 'manual',
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        ok = res.status >= 200 && res.status < 300;
      } catch {
        ok = false;
      } finally {
        clearTimeout(timer);
        this.inFlight.delete(controller);
      }
      if (this.closed) return;
    }
    const counters = this.counters();
    if (ok) {
      counters.callbacksSent++;
      return;
    }
    counters.callbacksFailed++;
    if (d.attempt >= this.settings.maxAttempts) {
      counters.callbacksAbandoned++;
      this.log.warn({ transaction: d.transactionNumber, attempts: d.attempt }, 'simulator callback abandoned');
      return;
    }
    const delay = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (d.attempt - 1));
    this.log.debug({ transaction: d.transactionNumber, attempt: d.attempt, status, delay }, 'simulator callback failed; retrying');
    this.scheduler.after(delay, () => void this.attempt(d), `cb:${d.transactionNumber}:${++this.seq}`);
  }
}
