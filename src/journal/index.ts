// The journal's public surface: the interface, the SQLite implementation, transitions and crash recovery.
export type * from './journal.js';
export { openSqliteJournal, type SqliteJournal, type SqliteJournalOptions, type JournalSynchronous } from './sqlite-journal.js';
export type { BatchStats } from './write-batcher.js';
export { TRANSITIONS, TERMINAL_STATES, canMove, assertMove } from './transitions.js';
export { findSecretKey, assertNoSecrets } from './secret-guard.js';
export { GATEWAY_KEY_FIELD, gatewayKeyIn, gatewayKeyOf } from './find-lost-payment.js';
export {
  reconcileUnfinished,
  reconcileOne,
  RECOVERY_CONTEXT_KEY,
  FIND_BY_CONTEXT_KEY,
  type RecoveryDeps,
  type RecoveryMarker,
  type RecoverySummary,
  type ReconcileResult,
} from './recovery.js';
