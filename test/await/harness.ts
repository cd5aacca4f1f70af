// Test harness for the await step: the real simulator on loopback, the real client, watcher and reconciler.
import { pino } from 'pino';
import type { SensePassCredentials } from '../../src/config.js';
import { createSensePassClient } from '../../src/exchange/call/sensepass-client.js';
import type { PaymentApi } from '../../src/exchange/call/payment-api.js';
import type { TransactionEntity } from '../../src/exchange/call/transaction.js';
import { withRetries } from '../../src/exchange/call/with-retries.js';
import { awaitFinal } from '../../src/exchange/await/await-final.js';
import type { AwaitRequest, AwaitResult } from '../../src/exchange/await/await-types.js';
import { createReconciler, type Reconciler } from '../../src/exchange/await/reconciler.js';
import { createStatusWatcher, type StatusWatcher } from '../../src/exchange/await/status-watcher.js';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

export type Mode = 'transaction' | 'device';
export const CREDS: SensePassCredentials = { deviceId: DEMO_DEVICE_ID };
export const silent = pino({ level: 'silent' });

export interface Harness {
  readonly sim: RunningSimulator;
  readonly api: PaymentApi;
  readonly watcher: StatusWatcher;
  readonly reconciler: Reconciler;
  readonly mode: Mode;
  /** Device mode opens the device connection first, as the exchange does; then POST /transactions/init. */
  init(amountCents?: number, extra?: Record<string, unknown>): Promise<TransactionEntity>;
  wait(entity: TransactionEntity, over?: Partial<AwaitRequest>): Promise<AwaitResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly socketUrl?: string;
  readonly idleMs?: number;
  readonly tooLateGraceMs?: number;
  readonly requestTimeoutMs?: number;
}

export async function startHarness(mode: Mode, options: HarnessOptions = {}, sim?: RunningSimulator): Promise<Harness> {
  const simulator = sim ?? (await startSimulator({ port: 0, approveAfterMs: 0 }));
  await simulator.control.setRules([{ then: 'none' }]);
  const api = withRetries(
    createSensePassClient({ restBaseUrl: simulator.restBaseUrl, requestTimeoutMs: options.requestTimeoutMs ?? 5_000, logger: silent }),
    { retries: 3, minTimeoutMs: 50, maxTimeoutMs: 500 },
  );
  const watcher = createStatusWatcher({
    url: options.socketUrl ?? simulator.url,
    mode,
    idleMs: options.idleMs ?? 50,
    minReconnectMs: 100,
    maxReconnectMs: 1_000,
    connectWaitMs: 2_000,
    logger: silent,
  });
  const reconciler = createReconciler({ api, logger: silent, minDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 20 });
  return {
    sim: simulator,
    api,
    watcher,
    reconciler,
    mode,
    async init(amountCents = 1250, extra = {}) {
      if (mode === 'device') await watcher.ensureDevice(DEMO_DEVICE_ID);
      return api.init({ amount: amountCents, isCent: true, currency: 'USD', timeOut: 120, ...extra }, CREDS);
    },
    wait(entity, over = {}) {
      return awaitFinal(
        {
          transactionNumber: entity.TransactionNumber,
          credentials: CREDS,
          deviceId: DEMO_DEVICE_ID,
          deadlineAt: Date.now() + 20_000,
          onDeadline: 'cancel',
          initial: entity,
          ...over,
        },
        { api, watcher, logger: silent, reconciler, tooLateGraceMs: options.tooLateGraceMs ?? 3_000 },
      );
    },
    async close() {
      reconciler.close();
      watcher.close();
      if (sim === undefined) await simulator.close();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until check() is true (or throws after timeoutMs). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await sleep(25);
  }
}

/** Device mode keeps an idle connection for idleMs; every mode must end with nothing left. */
export async function expectNothingLeft(h: Harness): Promise<void> {
  await eventually(() => {
    const s = h.watcher.stats();
    return s.sockets === 0 && s.watches === 0 && s.timers === 0;
  }, 3_000);
  await eventually(async () => (await h.sim.control.stats()).sockets === 0, 5_000);
}
