// Approvals the POS has received must be committed, or SensePass reverses them. The commit normally follows the
// delivery at once (deliver.ts); this sweeper retries the ones whose commit failed or was cut off by a crash —
// once during recovery, before the gateway reports ready, and then periodically.
import { isGatewayError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../log.js';
import type { PaymentApi } from './call/payment-api.js';

export interface CommitSweeperDeps {
  readonly journal: Journal;
  readonly api: PaymentApi;
  readonly logger: Logger;
}

/** Commits every delivered, uncommitted approval; returns how many were committed now. */
export async function commitDelivered(deps: CommitSweeperDeps): Promise<number> {
  let committed = 0;
  for (const exchange of await deps.journal.uncommitted()) {
    try {
      await deps.api.commit(exchange.commitLink as string);
      await deps.journal.advance(exchange.id, { state: 'COMMITTED' });
      committed++;
      deps.logger.info({ exchangeId: exchange.id, transactionNumber: exchange.transactionNumber }, 'delivered approval committed on retry');
    } catch (err) {
      // Still uncommitted: the next sweep tries again; SensePass refuses once its commit window has passed.
      deps.logger.error(
        { exchangeId: exchange.id, transactionNumber: exchange.transactionNumber, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' },
        'commit of a delivered approval failed; will retry',
      );
    }
  }
  return committed;
}

/** Runs commitDelivered every intervalMs (unref'd; never two sweeps at once); returns the stop function. */
export function startCommitSweeper(deps: CommitSweeperDeps, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    commitDelivered(deps)
      .catch((err: unknown) => deps.logger.error({ code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'commit sweep failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
