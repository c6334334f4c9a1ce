-- Broker: queues, messages, idempotency keys, topics and subscriptions.
-- Leases are not stored: on one node they are in-memory state, and after a restart every unsettled
-- message is ready again. A message row is written at publish and deleted at ack; delivery_count and
-- history change only when a lease expires or a nack arrives.
CREATE TABLE broker_queues (
    name        TEXT PRIMARY KEY,
    settings    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- seq is the rowid: enqueue order, and the key every write uses (no secondary index to maintain).
CREATE TABLE broker_messages (
    seq             INTEGER PRIMARY KEY,
    id              BLOB NOT NULL,
    queue           TEXT NOT NULL,
    body            BLOB NOT NULL,
    body_encoding   INTEGER NOT NULL,
    headers         TEXT,
    priority        INTEGER NOT NULL,
    group_key       TEXT,
    enqueued_at     INTEGER NOT NULL,
    available_at    INTEGER NOT NULL,
    expires_at      INTEGER,
    delivery_count  INTEGER NOT NULL DEFAULT 0,
    source_queue    TEXT,
    history         TEXT
);

CREATE TABLE broker_dedup (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    message_id  BLOB NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE broker_topics (
    name        TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL
);

CREATE TABLE broker_subscriptions (
    id          BLOB PRIMARY KEY,
    topic       TEXT NOT NULL,
    queue       TEXT NOT NULL,
    pattern     TEXT NOT NULL,
    headers     TEXT,
    created_at  INTEGER NOT NULL
);
