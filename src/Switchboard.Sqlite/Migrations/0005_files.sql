-- Uploads (tus) and their metadata; the bytes live in the file content store, named by id. Times are Unix
-- milliseconds UTC. status is 'uploading', 'complete' or 'failed'; expires_at is set while not complete.
CREATE TABLE files (
    id              TEXT PRIMARY KEY,
    owner_id        TEXT NOT NULL,
    name            TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    length          INTEGER NOT NULL,
    upload_offset   INTEGER NOT NULL DEFAULT 0,
    expected_sha256 TEXT,
    sha256          TEXT,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    completed_at    INTEGER
);
-- The quota sums an owner's complete and uploading files.
CREATE INDEX files_owner ON files(owner_id, status);
CREATE INDEX files_expiry ON files(expires_at) WHERE expires_at IS NOT NULL;
