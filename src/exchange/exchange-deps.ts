// What the exchange needs from the outside, built once by buildApp and shared by every request.
import type { Metrics } from '../admin/metrics.js';
import type { SensePassCredentials } from '../config.js';
import type { Logger } from '../log.js';
import type { Journal } from '../journal/journal.js';
import type { ClientIdentity } from '../route/message.js';
import type { Reconciler, StatusWatcher } from './await/index.js';
import type { PaymentApi } from './call/payment-api.js';
import type { InFlight } from './idempotency/index.js';
import type { MappingRegistry } from './map/index.js';
import type { PickMapping } from './map/route-table.js';
import type { Commits } from './stages/commit.js';

export interface ExchangeDeps {
  /** Every mapping, answering from the contracts current when asked (watch mode swaps them): never cache its results. */
  readonly mappings: MappingRegistry;
  /** The mapping answering (SOAP endpoint, operation) or (XML path, root) in the contracts current right now. */
  readonly pickMapping: PickMapping;
  readonly journal: Journal;
  readonly inFlight: InFlight;
  /** Wrapped with withRetries(): reads, cancel and commit are retried; init never is. */
  readonly api: PaymentApi;
  readonly watcher: StatusWatcher;
  readonly reconciler: Reconciler;
  readonly socketMode: 'transaction' | 'device';
  /** Throws GW_AUTH_NO_CREDENTIALS when the identity has none. */
  readonly credentialsFor: (identity: ClientIdentity) => SensePassCredentials;
  /** Same, by journal scope (identity name), for recovery and background reconciliation. */
  readonly credentialsForScope: (scope: string) => SensePassCredentials | undefined;
  /** Extra init fields such as our callbackURL (empty unless callbacks are enabled). */
  readonly initExtras: Readonly<Record<string, unknown>>;
  /** The commit stage, shared with the sweeper: one chain of journal moves per exchange. */
  readonly commits: Commits;
  readonly logger: Logger;
  readonly now: () => number;
  /** limits.maxConcurrentExchanges: beyond it new exchanges are refused with GW_SERVER_BUSY before anything starts. */
  readonly maxConcurrent: number;
  /** Exchange results and latency are reported here (noopMetrics when the gateway has no /metrics). */
  readonly metrics: Metrics;
}
