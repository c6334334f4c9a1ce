-- Contact conversations: an outside person writing through a channel instance. Their (channel, address) is the
-- conversation's unique pair_key, so a contact has one conversation; these columns say where replies go.
ALTER TABLE chat_conversations ADD COLUMN contact_channel text;
ALTER TABLE chat_conversations ADD COLUMN contact_address text;

-- Where each user can be reached outside chat: their address per channel instance name or channel type
-- (`whatsapp`, `email`, …). A chat message sent with `channels` goes to every other member with an address there.
CREATE TABLE channel_addresses (
    user_id    text COLLATE "C" NOT NULL,
    channel    text COLLATE "C" NOT NULL,
    address    text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, channel)
);
