// Approvals the POS has received must be committed, or SensePass reverses them. The commit normally follows the
// delivery at once (stages/commit.ts); this sweeper retries every delivered, uncommitted approval whose commit failed
// or was cut off by a crash — once during recovery, before the gateway reports ready, and then periodically. It goes
// through the same per-exchange chain as deliveries, so the two never commit one exchange at once.
import { isGatewayError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../log.js';
import type { Commits } from './stages/commit.js';

export interface CommitSweeperDeps {
  readonly journal: Journal;
  readonly logger: Logger;
}

/** Commits every delivered, uncommitted approval; returns how many are committed now. */
export async function sweepCommits(commits: Commits, deps: CommitSweeperDeps): Promise<number> {
  let committed = 0;
  for (const exchange of await deps.journal.uncommitted()) {
    if (await commits.commit(exchange.id)) committed++;
  }
  if (committed > 0) deps.logger.info({ committed }, 'delivered approvals committed on retry');
  return committed;
}

/** Runs sweepCommits every intervalMs (unref'd; never two sweeps at once); returns the stop function. */
export function startCommitSweeper(commits: Commits, deps: CommitSweeperDeps, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepCommits(commits, deps)
      .catch((err: unknown) => deps.logger.error({ code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'commit sweep failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
