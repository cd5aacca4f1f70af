-- 001: one row per exchange, unique per (scope, key) so a repeat can never create a second payment.
CREATE TABLE exchanges (
  id                 TEXT PRIMARY KEY,
  scope              TEXT NOT NULL,
  key                TEXT NOT NULL,
  mapping_id         TEXT NOT NULL,
  payload_hash       TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('RECEIVED', 'JOURNALED', 'CALLING', 'AWAITING', 'RESOLVING',
                                                    'FINAL', 'REPLIED', 'COMMITTED', 'UNKNOWN', 'REJECTED')),
  transaction_number TEXT,
  outcome            TEXT,
  reply              TEXT,                       -- StoredReply as JSON text (no card data: enforced before writing)
  commit_link        TEXT,
  deadline_at        INTEGER NOT NULL,           -- epoch ms
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  context            TEXT NOT NULL DEFAULT '{}', -- non-secret replay/reconcile data as JSON text
  UNIQUE (scope, key)
);

-- unfinished(): a handful of rows by state, oldest first; prune(): finished rows by age.
CREATE INDEX exchanges_state_created ON exchanges (state, created_at);
CREATE INDEX exchanges_updated ON exchanges (updated_at);

-- health(): a one-row write probe, so readiness means "a payment could be journaled right now".
CREATE TABLE journal_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
