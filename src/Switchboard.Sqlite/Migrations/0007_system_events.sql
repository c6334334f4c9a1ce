-- The topic of the server's own events ($sys.events): it exists from the first start, so a feature that commits an
-- event together with its change never finds it missing. Users cannot create or delete names under $sys.
INSERT INTO broker_topics (name, created_at)
VALUES ('$sys.events', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
ON CONFLICT (name) DO NOTHING;
