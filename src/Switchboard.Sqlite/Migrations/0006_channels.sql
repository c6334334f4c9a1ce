-- Channels and notifications: notifications with their dedup keys, one delivery per (message, route, recipient),
-- and every attempt of every delivery. Times are Unix milliseconds.
CREATE TABLE channel_notifications (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    content     TEXT NOT NULL,
    severity    TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    dedup_key   TEXT,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE channel_dedup (
    dedup_key       TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL,
    until           INTEGER NOT NULL
);

CREATE TABLE channel_deliveries (
    id              TEXT PRIMARY KEY,
    notification_id TEXT,
    conversation_id TEXT,
    message_id      TEXT,
    sender_id       TEXT,
    route           TEXT NOT NULL,
    hop             INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    addresses       TEXT NOT NULL,
    title           TEXT,
    text            TEXT NOT NULL,
    severity        TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    status_rank     INTEGER NOT NULL,
    provider_id     TEXT,
    error_code      TEXT,
    error_message   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_channel_deliveries_notification ON channel_deliveries (notification_id);
CREATE INDEX ix_channel_deliveries_provider ON channel_deliveries (channel, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX ix_channel_deliveries_status ON channel_deliveries (status, updated_at);

CREATE TABLE channel_attempts (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id   TEXT NOT NULL,
    channel       TEXT NOT NULL,
    at            INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    latency_ms    INTEGER NOT NULL,
    status_code   INTEGER,
    error_code    TEXT,
    error_message TEXT
);
CREATE INDEX ix_channel_attempts_delivery ON channel_attempts (delivery_id, seq);
CREATE INDEX ix_channel_attempts_at ON channel_attempts (at);
