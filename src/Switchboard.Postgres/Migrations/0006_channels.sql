-- Channels and notifications: notifications with their dedup keys, one delivery per (message, route, recipient),
-- and every attempt of every delivery.
CREATE TABLE channel_notifications (
    id          uuid PRIMARY KEY,
    title       text NOT NULL,
    content     text NOT NULL,
    severity    text NOT NULL,
    priority    integer NOT NULL,
    dedup_key   text,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE channel_dedup (
    dedup_key       text PRIMARY KEY,
    notification_id uuid NOT NULL,
    until           timestamptz NOT NULL
);

CREATE TABLE channel_deliveries (
    id              uuid PRIMARY KEY,
    notification_id uuid,
    conversation_id uuid,
    message_id      uuid,
    sender_id       text,
    route           jsonb NOT NULL,
    hop             integer NOT NULL,
    channel         text NOT NULL,
    addresses       jsonb NOT NULL,
    title           text,
    text            text NOT NULL,
    severity        text NOT NULL,
    priority        integer NOT NULL,
    status          text NOT NULL,
    status_rank     integer NOT NULL,
    provider_id     text,
    error_code      text,
    error_message   text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX ix_channel_deliveries_notification ON channel_deliveries (notification_id);
CREATE INDEX ix_channel_deliveries_provider ON channel_deliveries (channel, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX ix_channel_deliveries_status ON channel_deliveries (status, updated_at);

CREATE TABLE channel_attempts (
    seq           bigserial PRIMARY KEY,
    delivery_id   uuid NOT NULL,
    channel       text NOT NULL,
    at            timestamptz NOT NULL,
    outcome       text NOT NULL,
    latency_ms    bigint NOT NULL,
    status_code   integer,
    error_code    text,
    error_message text
);
CREATE INDEX ix_channel_attempts_delivery ON channel_attempts (delivery_id, seq);
CREATE INDEX ix_channel_attempts_at ON channel_attempts (at);
