-- Uploads (tus) and their metadata; the bytes live in the file content store, named by id.
-- status is 'uploading', 'complete' or 'failed'; expires_at is set while not complete. Creating an upload
-- takes a transaction-level advisory lock on its owner, so concurrent creations cannot overshoot the quota.
CREATE TABLE files (
    id              uuid PRIMARY KEY,
    owner_id        text NOT NULL,
    name            text NOT NULL,
    content_type    text NOT NULL,
    length          bigint NOT NULL,
    upload_offset   bigint NOT NULL DEFAULT 0,
    expected_sha256 text,
    sha256          text,
    status          text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    completed_at    timestamptz
);
CREATE INDEX files_owner ON files (owner_id, status);
CREATE INDEX files_expiry ON files (expires_at) WHERE expires_at IS NOT NULL;
