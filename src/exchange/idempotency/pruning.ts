// Retention: finished exchanges (and their stored replies) are kept for retentionHours, then pruned on a timer.
import type { Journal } from '../../journal/journal.js';
import type { Logger } from '../../log.js';

export interface PruningOptions {
  /** How long a finished exchange stays replayable (config journal.retentionHours, default 24). */
  readonly retentionHours: number;
  /** How often to prune (default: one hour, or the retention if shorter). */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Prunes once now and then every intervalMs; returns a stop function. The timer is unref'd so it never keeps the
 * process alive, and a failed prune is logged, not thrown (the entries are simply kept until the next run).
 */
export function startPruning(journal: Journal, options: PruningOptions): () => void {
  const retentionMs = Math.max(0, options.retentionHours) * 3_600_000;
  const intervalMs = Math.max(1, options.intervalMs ?? Math.min(3_600_000, Math.max(retentionMs, 60_000)));
  let running = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      const removed = await journal.prune(retentionMs);
      if (removed > 0) options.logger?.info({ removed, retentionHours: options.retentionHours }, 'journal: pruned finished exchanges');
    } catch (err) {
      options.logger?.warn({ code: (err as { code?: unknown }).code }, 'journal: prune failed; will retry');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
