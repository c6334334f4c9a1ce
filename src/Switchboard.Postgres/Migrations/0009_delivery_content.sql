-- What a delivery needs to be retried besides its text: attachments by URL and a provider template, as JSON; NULL when
-- the delivery has none.
ALTER TABLE channel_deliveries ADD COLUMN IF NOT EXISTS attachments jsonb;
ALTER TABLE channel_deliveries ADD COLUMN IF NOT EXISTS template jsonb;
