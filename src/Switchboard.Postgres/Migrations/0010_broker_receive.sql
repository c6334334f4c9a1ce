-- Receives take fresh messages from an index of never-leased ones. The index they used before also held every
-- message in flight, so each receive walked past up to a whole credit window of leased rows (and fetched each from
-- the heap) before it reached one it could take. Expired leases are found per queue through broker_messages_leased.
CREATE INDEX broker_messages_fresh ON broker_messages (queue, priority DESC, seq) WHERE lease_until IS NULL;
DROP INDEX broker_messages_priority;
CREATE INDEX broker_messages_leased ON broker_messages (queue, lease_until) WHERE lease_until IS NOT NULL;
DROP INDEX broker_messages_lease;

-- A queue table turns over all of its rows all the time: vacuum it after a small share of dead rows, not after
-- PostgreSQL's default fifth of the table.
ALTER TABLE broker_messages SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- What one queue holds, through the queue's index. The planner's row estimate for a queue table is stale by nature
-- (it turns over between two ANALYZEs), so left alone it picks a sequential or a bitmap scan; neither ever marks the
-- index entries of deleted rows dead, so after a burst of acks every count re-read every deleted row until vacuum
-- ran (5–60 ms a count, measured). A plain index scan marks them on its first visit and later counts skip them.
CREATE FUNCTION broker_queue_counts(queue_name text, OUT depth bigint, OUT in_flight bigint, OUT delayed bigint, OUT oldest timestamptz)
LANGUAGE sql STABLE SET enable_bitmapscan = off SET enable_seqscan = off AS $$
    SELECT count(*),
           count(*) FILTER (WHERE m.lease_until >= now()),
           count(*) FILTER (WHERE (m.lease_until IS NULL OR m.lease_until < now()) AND m.visible_at > now()),
           min(m.enqueued_at)
    FROM broker_messages m WHERE m.queue = queue_name
$$;
