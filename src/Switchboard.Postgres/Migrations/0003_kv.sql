-- KV buckets (the cache). Names and keys use the "C" collation, which is UTF-8 byte order, so a prefix is
-- a key range. Bucket counters (revision, keys, bytes, expirations) change in the same transaction as the
-- entries they describe, and every writer of a bucket locks its row first.
CREATE TABLE kv_buckets (
    name                text COLLATE "C" PRIMARY KEY,
    default_ttl_seconds bigint,
    max_value_bytes     integer,
    revision            bigint NOT NULL DEFAULT 0,
    keys                bigint NOT NULL DEFAULT 0,
    bytes               bigint NOT NULL DEFAULT 0,
    hits                bigint NOT NULL DEFAULT 0,
    misses              bigint NOT NULL DEFAULT 0,
    expirations         bigint NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE kv_entries (
    bucket       text COLLATE "C" NOT NULL REFERENCES kv_buckets(name) ON DELETE CASCADE,
    key          text COLLATE "C" NOT NULL,
    revision     bigint NOT NULL,
    size         integer NOT NULL,
    content_type text NOT NULL,
    updated_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    value        bytea NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX kv_entries_expiry ON kv_entries (expires_at) WHERE expires_at IS NOT NULL;
