// Stage 7, commit: a delivered approval is committed (GET commitLink → COMMITTED). One chain per exchange in this
// process, so a delivery, a joined retry's delivery and the sweeper never move the same entry at once; and every
// step re-reads the journal first, so a commit that already happened is a no-op, never an illegal transition.
import type { Metrics } from '../../admin/metrics.js';
import { isGatewayError } from '../../errors.js';
import type { Journal } from '../../journal/journal.js';
import type { Logger } from '../../log.js';
import type { PaymentApi } from '../call/payment-api.js';
import type { Exchange } from '../exchange.js';

export interface Commits {
  /** A reply reached the POS: SETTLED → DELIVERED, then the approval is committed. Never throws; true once COMMITTED. */
  delivered(exchangeId: string): Promise<boolean>;
  /** Commits a DELIVERED approval (the sweeper's retry). Never throws; true once COMMITTED. */
  commit(exchangeId: string): Promise<boolean>;
}

export interface CommitDeps {
  readonly journal: Journal;
  readonly api: PaymentApi;
  readonly logger: Logger;
  /** Commit attempts are counted here (first after delivery, or a sweeper retry). */
  readonly metrics?: Pick<Metrics, 'commitAttempt'> | undefined;
}

export function createCommits(deps: CommitDeps): Commits {
  const chains = new Map<string, Promise<boolean>>();
  // Runs `step` after every step already queued for this exchange; the chain is dropped once it is idle.
  const serial = (exchangeId: string, step: () => Promise<boolean>): Promise<boolean> => {
    const previous = chains.get(exchangeId) ?? Promise.resolve(false);
    const next = previous.then(step, step);
    chains.set(exchangeId, next);
    void next.finally(() => {
      if (chains.get(exchangeId) === next) chains.delete(exchangeId);
    });
    return next;
  };
  const commitNow = async (exchangeId: string, markDelivered: boolean): Promise<boolean> => {
    let attempted = false;
    try {
      let exchange = await deps.journal.get(exchangeId);
      if (exchange === undefined) return false;
      if (markDelivered && exchange.state === 'SETTLED') exchange = await deps.journal.advance(exchangeId, { state: 'DELIVERED' });
      if (exchange.state === 'COMMITTED') return true;
      if (!needsCommit(exchange)) return false;
      attempted = true;
      await deps.api.commit(exchange.commitLink as string);
      await deps.journal.advance(exchangeId, { state: 'COMMITTED' });
      deps.metrics?.commitAttempt(markDelivered ? 'first' : 'retry', true);
      deps.logger.info({ exchangeId, transactionNumber: exchange.transactionNumber }, 'payment committed');
      return true;
    } catch (err) {
      if (attempted) deps.metrics?.commitAttempt(markDelivered ? 'first' : 'retry', false);
      // The POS has its approval; a failed commit means SensePass may reverse it: loud, for an operator. The
      // sweeper tries again until SensePass's commit window closes.
      deps.logger.error({ exchangeId, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'commit of a delivered approval failed; will retry');
      return false;
    }
  };
  return {
    delivered: (exchangeId) => serial(exchangeId, () => commitNow(exchangeId, true)),
    commit: (exchangeId) => serial(exchangeId, () => commitNow(exchangeId, false)),
  };
}

export function needsCommit(exchange: Exchange): boolean {
  return exchange.state === 'DELIVERED' && exchange.outcome === 'APPROVED' && typeof exchange.commitLink === 'string';
}
