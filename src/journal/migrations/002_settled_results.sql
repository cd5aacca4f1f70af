-- 002: the journal keeps what an exchange learned (result: outcome + SensePass answer, secrets removed), not a rendered
-- reply, and its states are named after the stages (FINAL → SETTLED, REPLIED → DELIVERED, new NOT_CREATED).
-- Rows written by 001 keep their rendered reply and are still replayed from it.
CREATE TABLE exchanges_002 (
  id                 TEXT PRIMARY KEY,
  scope              TEXT NOT NULL,
  key                TEXT NOT NULL,
  mapping_id         TEXT NOT NULL,
  payload_hash       TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('RECEIVED', 'JOURNALED', 'CALLING', 'AWAITING', 'RESOLVING', 'SETTLED',
                                                    'DELIVERED', 'COMMITTED', 'UNKNOWN', 'REJECTED', 'NOT_CREATED')),
  transaction_number TEXT,
  outcome            TEXT,
  reply              TEXT,                       -- schema-1 rows only: StoredReply as JSON text
  result             TEXT,                       -- SettledResult as JSON text (no card data: enforced before writing)
  commit_link        TEXT,
  deadline_at        INTEGER NOT NULL,           -- epoch ms
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  context            TEXT NOT NULL DEFAULT '{}', -- non-secret replay/reconcile data as JSON text
  UNIQUE (scope, key)
);

INSERT INTO exchanges_002 (id, scope, key, mapping_id, payload_hash, state, transaction_number, outcome, reply, result,
                           commit_link, deadline_at, created_at, updated_at, context)
SELECT id, scope, key, mapping_id, payload_hash,
       CASE
         WHEN state = 'FINAL' THEN 'SETTLED'
         WHEN state = 'REPLIED' THEN 'DELIVERED'
         -- recovery proved these were never created: under 002 the same request again tries afresh
         WHEN state = 'REJECTED' AND json_extract(context, '$.recovery.via') = 'not-created' THEN 'NOT_CREATED'
         ELSE state
       END,
       transaction_number, outcome, reply, NULL, commit_link, deadline_at, created_at, updated_at, context
FROM exchanges;

DROP TABLE exchanges;
ALTER TABLE exchanges_002 RENAME TO exchanges;

CREATE INDEX exchanges_state_created ON exchanges (state, created_at);
CREATE INDEX exchanges_updated ON exchanges (updated_at);
