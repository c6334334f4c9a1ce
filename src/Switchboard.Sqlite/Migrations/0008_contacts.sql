-- Contact conversations: an outside person writing through a channel instance. Their (channel, address) is the
-- conversation's unique pair_key, so a contact has one conversation; these columns say where replies go.
ALTER TABLE chat_conversations ADD COLUMN contact_channel TEXT;
ALTER TABLE chat_conversations ADD COLUMN contact_address TEXT;
