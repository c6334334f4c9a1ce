-- Chat: conversations, members with their receipt watermarks, messages with a gapless seq per conversation, and
-- full-text search. Times are Unix milliseconds UTC. Ids are UUID text. Counters (last_seq, last_change_seq,
-- member_count) change in the same transaction as the rows they count.
CREATE TABLE chat_conversations (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    name            TEXT,
    topic           TEXT,
    description     TEXT,
    -- A private conversation's two user ids in ordinal order: one conversation per pair.
    pair_key        TEXT UNIQUE,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_activity   INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    last_change_seq INTEGER NOT NULL DEFAULT 0,
    member_count    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chat_conversations_kind ON chat_conversations(kind, id);

CREATE TABLE chat_members (
    conversation_id    TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL,
    role               TEXT NOT NULL,
    joined_at          INTEGER NOT NULL,
    joined_order       INTEGER NOT NULL,
    read_seq           INTEGER NOT NULL DEFAULT 0,
    delivered_seq      INTEGER NOT NULL DEFAULT 0,
    -- The conversation's change number of the last watermark move, so a sync returns receipts it missed.
    receipt_change_seq INTEGER NOT NULL DEFAULT 0,
    receipt_at         INTEGER,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX chat_members_user ON chat_members(user_id, conversation_id);

-- pos is the rowid: the full-text index refers to it and search pages by it.
CREATE TABLE chat_messages (
    pos               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    conversation_id   TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    change_seq        INTEGER NOT NULL DEFAULT 0,
    sender_id         TEXT NOT NULL,
    client_message_id TEXT,
    text              TEXT NOT NULL,
    attachments       TEXT,
    reply_to          TEXT,
    channels          TEXT,
    reactions         TEXT,
    created_at        INTEGER NOT NULL,
    edited_at         INTEGER,
    deleted_at        INTEGER,
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX chat_messages_client ON chat_messages(conversation_id, sender_id, client_message_id) WHERE client_message_id IS NOT NULL;
CREATE INDEX chat_messages_changes ON chat_messages(conversation_id, change_seq) WHERE change_seq > 0;

-- Which live messages carry which file: who may download it.
CREATE TABLE chat_attachments (
    file_id         TEXT NOT NULL,
    message_id      TEXT NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (file_id, message_id)
) WITHOUT ROWID;
CREATE INDEX chat_attachments_message ON chat_attachments(message_id);

-- External-content full-text index over the message text, kept in step by triggers in the same transaction. A
-- tombstone's text is empty, so deleted messages leave the index. No diacritic folding: the PostgreSQL engine's
-- 'simple' configuration does none either, and both engines find the same words.
CREATE VIRTUAL TABLE chat_messages_fts USING fts5(
    text,
    content = 'chat_messages',
    content_rowid = 'pos',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER chat_messages_fts_insert AFTER INSERT ON chat_messages BEGIN
    INSERT INTO chat_messages_fts(rowid, text) VALUES (new.pos, new.text);
END;
CREATE TRIGGER chat_messages_fts_delete AFTER DELETE ON chat_messages BEGIN
    INSERT INTO chat_messages_fts(chat_messages_fts, rowid, text) VALUES ('delete', old.pos, old.text);
END;
CREATE TRIGGER chat_messages_fts_update AFTER UPDATE OF text ON chat_messages BEGIN
    INSERT INTO chat_messages_fts(chat_messages_fts, rowid, text) VALUES ('delete', old.pos, old.text);
    INSERT INTO chat_messages_fts(rowid, text) VALUES (new.pos, new.text);
END;
