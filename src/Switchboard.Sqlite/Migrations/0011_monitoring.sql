-- Monitoring and alerting: monitors with their state, per-check results and roll-ups, alert rules and their
-- conditions, incidents with a timeline and the notices each transition owes, silences and maintenance windows.
-- Times are Unix milliseconds; definitions are JSON.
CREATE TABLE monitoring_monitors (
    id          TEXT PRIMARY KEY,
    spec        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE monitoring_states (
    monitor_id     TEXT PRIMARY KEY,
    status         TEXT NOT NULL,
    failures       INTEGER NOT NULL,
    last_check_at  INTEGER,
    changed_at     INTEGER,
    last_error     TEXT
);

CREATE TABLE monitoring_results (
    monitor_id   TEXT NOT NULL,
    at           INTEGER NOT NULL,
    up           INTEGER NOT NULL,
    latency_ms   REAL NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    errored      INTEGER NOT NULL
);
CREATE INDEX ix_monitoring_results_monitor ON monitoring_results (monitor_id, at);
CREATE INDEX ix_monitoring_results_at ON monitoring_results (at);

CREATE TABLE monitoring_rollups (
    monitor_id    TEXT NOT NULL,
    resolution    INTEGER NOT NULL,
    bucket_start  INTEGER NOT NULL,
    checks        INTEGER NOT NULL,
    up_checks     INTEGER NOT NULL,
    errors        INTEGER NOT NULL,
    latency_avg   REAL NOT NULL,
    latency_p50   REAL NOT NULL,
    latency_p95   REAL NOT NULL,
    latency_p99   REAL NOT NULL,
    PRIMARY KEY (monitor_id, resolution, bucket_start)
) WITHOUT ROWID;
CREATE INDEX ix_monitoring_rollups_bucket ON monitoring_rollups (resolution, bucket_start);

CREATE TABLE monitoring_marks (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);

CREATE TABLE monitoring_rules (
    id          TEXT PRIMARY KEY,
    spec        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE monitoring_alert_states (
    rule_id        TEXT NOT NULL,
    subject        TEXT NOT NULL,
    pending_since  INTEGER NOT NULL,
    incident_id    TEXT,
    PRIMARY KEY (rule_id, subject)
);

CREATE TABLE monitoring_incidents (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    severity    TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX ix_monitoring_incidents_started ON monitoring_incidents (started_at);
CREATE INDEX ix_monitoring_incidents_status ON monitoring_incidents (status, started_at);

CREATE TABLE monitoring_incident_events (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id      TEXT NOT NULL,
    at               INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    message          TEXT NOT NULL,
    actor            TEXT,
    notification_id  TEXT,
    route            TEXT
);
CREATE INDEX ix_monitoring_incident_events_incident ON monitoring_incident_events (incident_id, seq);

CREATE TABLE monitoring_notices (
    key          TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    route        TEXT,
    created_at   INTEGER NOT NULL,
    done_at      INTEGER
);
CREATE INDEX ix_monitoring_notices_pending ON monitoring_notices (created_at) WHERE done_at IS NULL;

CREATE TABLE monitoring_silences (
    id         TEXT PRIMARY KEY,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX ix_monitoring_silences_ends ON monitoring_silences (ends_at);
