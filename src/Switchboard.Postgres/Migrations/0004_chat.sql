-- Chat: conversations, members with their receipt watermarks, messages with a gapless seq per conversation, and
-- full-text search. Counters (last_seq, last_change_seq, member_count) change in the same transaction as the rows
-- they count; every writer of a conversation's log updates its row first, which serializes them across nodes.
CREATE TABLE chat_conversations (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL,
    name            text,
    topic           text,
    description     text,
    -- A private conversation's two user ids in ordinal order: one conversation per pair.
    pair_key        text COLLATE "C" UNIQUE,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_activity   timestamptz NOT NULL,
    last_seq        bigint NOT NULL DEFAULT 0,
    last_change_seq bigint NOT NULL DEFAULT 0,
    member_count    integer NOT NULL DEFAULT 0
);
CREATE INDEX chat_conversations_kind ON chat_conversations (kind, id);

CREATE TABLE chat_members (
    conversation_id    uuid NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    user_id            text COLLATE "C" NOT NULL,
    role               text NOT NULL,
    joined_at          timestamptz NOT NULL,
    joined_order       bigint NOT NULL,
    read_seq           bigint NOT NULL DEFAULT 0,
    delivered_seq      bigint NOT NULL DEFAULT 0,
    -- The conversation's change number of the last watermark move, so a sync returns receipts it missed.
    receipt_change_seq bigint NOT NULL DEFAULT 0,
    receipt_at         timestamptz,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members (user_id, conversation_id);

-- pos orders messages by insertion across conversations: search pages by it. The search vector uses the 'simple'
-- configuration (lower-cased words, no stemming, no stop words), like the SQLite engine's unicode61 tokenizer.
-- A tombstone's text is empty, so deleted messages are never found.
CREATE TABLE chat_messages (
    pos               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                uuid NOT NULL UNIQUE,
    conversation_id   uuid NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    seq               bigint NOT NULL,
    change_seq        bigint NOT NULL DEFAULT 0,
    sender_id         text COLLATE "C" NOT NULL,
    client_message_id text COLLATE "C",
    text              text NOT NULL,
    attachments       uuid[] NOT NULL DEFAULT '{}',
    reply_to          uuid,
    channels          text[] NOT NULL DEFAULT '{}',
    reactions         jsonb,
    created_at        timestamptz NOT NULL,
    edited_at         timestamptz,
    deleted_at        timestamptz,
    search            tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED,
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX chat_messages_client ON chat_messages (conversation_id, sender_id, client_message_id) WHERE client_message_id IS NOT NULL;
CREATE INDEX chat_messages_changes ON chat_messages (conversation_id, change_seq) WHERE change_seq > 0;
CREATE INDEX chat_messages_search ON chat_messages USING gin (search);

-- Which live messages carry which file: who may download it.
CREATE TABLE chat_attachments (
    file_id         uuid NOT NULL,
    message_id      uuid NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL,
    PRIMARY KEY (file_id, message_id)
);
CREATE INDEX chat_attachments_message ON chat_attachments (message_id);
