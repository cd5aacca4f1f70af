// The await step's public surface: what the exchange, app.ts and recovery import.
import type { Metrics } from '../../admin/metrics.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { createStatusWatcher, type StatusWatcher } from './status-watcher.js';

export { awaitFinal } from './await-final.js';
export type { AwaitDeps, AwaitReason, AwaitRequest, AwaitResult } from './await-types.js';
export { createStatusWatcher } from './status-watcher.js';
export type { StatusWatcher, StatusWatcherOptions, WatchHandle, WatchListener, WatcherStats } from './status-watcher.js';
export { createReconciler } from './reconciler.js';
export type { ReconcileJob, Reconciler, ReconcilerOptions } from './reconciler.js';
export { commitPayment, type CommitResult } from './commit-payment.js';
export { createCallbackRouter, type CallbackRouterOptions } from './callback-router.js';
export { buildCallbackUrl, callbackInitFields } from './callback-url.js';
export { verifyCallbackSignature } from './callback-signature.js';

/** The watcher as configured: socket origin, socket mode and device idle time from config.sensepass. */
export function statusWatcherFromConfig(config: Pick<Config, 'sensepass' | 'derived'>, logger: Logger, metrics?: Metrics): StatusWatcher {
  return createStatusWatcher({
    ...(metrics === undefined ? {} : { metrics }),
    url: config.derived.socketUrl,
    mode: config.sensepass.socketMode,
    idleMs: config.sensepass.socketIdleMs,
    logger,
  });
}
