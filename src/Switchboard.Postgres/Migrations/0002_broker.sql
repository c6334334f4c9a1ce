-- Broker: queues, messages, idempotency keys, topics and subscriptions.
-- Nodes compete for messages, so the lease lives in the row: a receive sets lease_until and a fresh
-- lease_nonce and counts the delivery; an ack deletes the row only while that lease is current.
CREATE TABLE broker_queues (
    name        text COLLATE "C" PRIMARY KEY,
    settings    jsonb NOT NULL,
    created_at  timestamptz NOT NULL
);

-- seq is the enqueue order; a redrive gives a message a new one at the end of its new queue.
CREATE SEQUENCE broker_messages_seq;

CREATE TABLE broker_messages (
    id              uuid PRIMARY KEY,
    seq             bigint NOT NULL DEFAULT nextval('broker_messages_seq'),
    queue           text COLLATE "C" NOT NULL REFERENCES broker_queues (name) ON DELETE CASCADE,
    body            bytea NOT NULL,
    body_encoding   smallint NOT NULL,
    headers         jsonb,
    priority        smallint NOT NULL,
    group_key       text COLLATE "C",
    enqueued_at     timestamptz NOT NULL,
    visible_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    delivery_count  integer NOT NULL DEFAULT 0,
    leased_at       timestamptz,
    lease_until     timestamptz,
    lease_nonce     bigint,
    source_queue    text COLLATE "C",
    history         jsonb NOT NULL DEFAULT '[]'
);
ALTER SEQUENCE broker_messages_seq OWNED BY broker_messages.seq;

-- Hand-out order: priority then enqueue order, and enqueue order alone for FIFO queues and peeks.
CREATE INDEX broker_messages_priority ON broker_messages (queue, priority DESC, seq);
CREATE INDEX broker_messages_order ON broker_messages (queue, seq);
CREATE INDEX broker_messages_group ON broker_messages (queue, group_key, seq) WHERE group_key IS NOT NULL;
-- What the sweeper looks for: expired leases, expired messages, delays coming due.
CREATE INDEX broker_messages_lease ON broker_messages (lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX broker_messages_expiry ON broker_messages (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX broker_messages_due ON broker_messages (visible_at) WHERE visible_at > enqueued_at;

-- Idempotency keys per queue (scope = queue name) or per topic (scope = 'topic:' || name).
CREATE TABLE broker_dedup (
    scope       text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    message_id  uuid NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX broker_dedup_expiry ON broker_dedup (expires_at);

CREATE TABLE broker_topics (
    name        text COLLATE "C" PRIMARY KEY,
    created_at  timestamptz NOT NULL
);

CREATE TABLE broker_subscriptions (
    id          uuid PRIMARY KEY,
    topic       text COLLATE "C" NOT NULL REFERENCES broker_topics (name) ON DELETE CASCADE,
    queue       text COLLATE "C" NOT NULL REFERENCES broker_queues (name) ON DELETE CASCADE,
    pattern     text NOT NULL,
    headers     jsonb,
    created_at  timestamptz NOT NULL
);
CREATE INDEX broker_subscriptions_topic ON broker_subscriptions (topic, created_at);
CREATE INDEX broker_subscriptions_queue ON broker_subscriptions (queue);
