-- KV buckets (the cache). Times are Unix milliseconds UTC. Keys compare with BINARY collation, which is
-- UTF-8 byte order, so a prefix is a key range. Bucket counters (revision, keys, bytes, expirations) change
-- in the same transaction as the entries they describe.
CREATE TABLE kv_buckets (
    name                TEXT PRIMARY KEY,
    default_ttl_seconds INTEGER,
    max_value_bytes     INTEGER,
    revision            INTEGER NOT NULL DEFAULT 0,
    keys                INTEGER NOT NULL DEFAULT 0,
    bytes               INTEGER NOT NULL DEFAULT 0,
    hits                INTEGER NOT NULL DEFAULT 0,
    misses              INTEGER NOT NULL DEFAULT 0,
    expirations         INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

-- The value is the last column so listing and sweeping never read its overflow pages.
CREATE TABLE kv_entries (
    id           INTEGER PRIMARY KEY,
    bucket       TEXT NOT NULL REFERENCES kv_buckets(name) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    value        BLOB NOT NULL,
    UNIQUE (bucket, key)
);
CREATE INDEX kv_entries_expiry ON kv_entries(expires_at) WHERE expires_at IS NOT NULL;
