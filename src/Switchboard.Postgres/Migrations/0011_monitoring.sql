-- Monitoring and alerting: monitors with their state, per-check results and roll-ups, alert rules and their
-- conditions, incidents with a timeline and the notices each transition owes, silences and maintenance windows.
CREATE TABLE monitoring_monitors (
    id          text PRIMARY KEY,
    spec        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE monitoring_states (
    monitor_id     text PRIMARY KEY,
    status         text NOT NULL,
    failures       integer NOT NULL,
    last_check_at  timestamptz,
    changed_at     timestamptz,
    last_error     text
);

CREATE TABLE monitoring_results (
    monitor_id   text NOT NULL,
    at           timestamptz NOT NULL,
    up           boolean NOT NULL,
    latency_ms   double precision NOT NULL,
    status_code  integer,
    error        text,
    errored      boolean NOT NULL
);
CREATE INDEX ix_monitoring_results_monitor ON monitoring_results (monitor_id, at);
CREATE INDEX ix_monitoring_results_at ON monitoring_results (at);

CREATE TABLE monitoring_rollups (
    monitor_id    text NOT NULL,
    resolution    integer NOT NULL,
    bucket_start  timestamptz NOT NULL,
    checks        integer NOT NULL,
    up_checks     integer NOT NULL,
    errors        integer NOT NULL,
    latency_avg   double precision NOT NULL,
    latency_p50   double precision NOT NULL,
    latency_p95   double precision NOT NULL,
    latency_p99   double precision NOT NULL,
    PRIMARY KEY (monitor_id, resolution, bucket_start)
);
CREATE INDEX ix_monitoring_rollups_bucket ON monitoring_rollups (resolution, bucket_start);

CREATE TABLE monitoring_marks (
    name   text PRIMARY KEY,
    value  timestamptz NOT NULL
);

CREATE TABLE monitoring_rules (
    id          text PRIMARY KEY,
    spec        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE monitoring_alert_states (
    rule_id        text NOT NULL,
    subject        text NOT NULL,
    pending_since  timestamptz NOT NULL,
    incident_id    uuid,
    PRIMARY KEY (rule_id, subject)
);

CREATE TABLE monitoring_incidents (
    id          uuid PRIMARY KEY,
    status      text NOT NULL,
    severity    text NOT NULL,
    rule_id     text NOT NULL,
    subject     text NOT NULL,
    started_at  timestamptz NOT NULL,
    version     bigint NOT NULL,
    body        jsonb NOT NULL
);
CREATE INDEX ix_monitoring_incidents_started ON monitoring_incidents (started_at);
CREATE INDEX ix_monitoring_incidents_status ON monitoring_incidents (status, started_at);

CREATE TABLE monitoring_incident_events (
    seq              bigserial PRIMARY KEY,
    incident_id      uuid NOT NULL,
    at               timestamptz NOT NULL,
    kind             text NOT NULL,
    message          text NOT NULL,
    actor            text,
    notification_id  uuid,
    route            text
);
CREATE INDEX ix_monitoring_incident_events_incident ON monitoring_incident_events (incident_id, seq);

CREATE TABLE monitoring_notices (
    key          text PRIMARY KEY,
    incident_id  uuid NOT NULL,
    kind         text NOT NULL,
    route        text,
    created_at   timestamptz NOT NULL,
    done_at      timestamptz
);
CREATE INDEX ix_monitoring_notices_pending ON monitoring_notices (created_at) WHERE done_at IS NULL;

CREATE TABLE monitoring_silences (
    id         uuid PRIMARY KEY,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    body       jsonb NOT NULL
);
CREATE INDEX ix_monitoring_silences_ends ON monitoring_silences (ends_at);
