-- The node registry, as on PostgreSQL. One embedded node only ever lists itself; the table keeps the engines alike.
CREATE TABLE cluster_nodes (
    id           TEXT PRIMARY KEY,
    address      TEXT NOT NULL,
    state        TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
