#!/usr/bin/env bash
# Drops the databases the tests and the benchmark runner create (sb_test_*, sb_bench_*) on the local PostgreSQL, so
# the cluster does not grow run after run. tests/run.sh calls it before and after the test projects.
set -euo pipefail
as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
# From / so the postgres user can enter the working directory; one session for all the drops.
cd /
as_root su postgres -c "psql -qtA -v ON_ERROR_STOP=0" <<'SQL' >/dev/null
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database
WHERE datname LIKE 'sb\_test\_%' OR datname LIKE 'sb\_bench\_%' OR datname LIKE 'sb\_e2e\_%' \gexec
SQL
