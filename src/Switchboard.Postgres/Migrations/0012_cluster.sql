-- The node registry: every node heartbeats its row; the gateway routes to the live, active ones.
CREATE TABLE cluster_nodes (
    id           text PRIMARY KEY,
    address      text NOT NULL,
    state        text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
