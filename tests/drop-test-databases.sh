#!/usr/bin/env bash
# Drops test databases on the local PostgreSQL so the cluster does not grow run after run. Every database the tests and
# the benchmark runner create is named sb_test_<run>_<random> or sb_bench_<run>_<random>, where <run> is
# <unix seconds>x<pid>: when the run began and the process that lives as long as it (tests/run.sh exports it as
# SWITCHBOARD_TEST_RUN_ID; a bare `dotnet test` uses its own test host). Two runs on one machine therefore never drop
# each other's databases.
#
# Usage:
#   drop-test-databases.sh <run-id>   drop that run's databases (tests/run.sh, at its end)
#   drop-test-databases.sh --stale    drop only leftovers of runs that are clearly over: the run's process no longer
#                                     exists on this machine, or the run began more than a day ago; databases named
#                                     before run ids (sb_test_<hex>, sb_e2e_*) only when more than a day old
#   drop-test-databases.sh --plan <run-id>|--stale < "name age-seconds" lines
#                                     print what would be dropped from that list, touching no database (for tests)
set -euo pipefail

day=86400

# Reads "name age-seconds" lines, prints the names the mode drops.
select_drops() {
  local mode=$1 name age run started pid now
  now=$(date +%s)
  while read -r name age; do
    [[ -n "$name" ]] || continue
    if [[ "$name" =~ ^sb_(test|bench)_([0-9]+)x([0-9]+)_[0-9a-f]+$ ]]; then
      started=${BASH_REMATCH[2]}; pid=${BASH_REMATCH[3]}; run="${started}x${pid}"
      if [[ "$mode" != "--stale" ]]; then
        [[ "$run" == "$mode" ]] && echo "$name"
      elif (( now - started > day )) || [[ ! -d "/proc/$pid" ]]; then
        echo "$name"
      fi
    elif [[ "$mode" != "--stale" && "$name" =~ ^sb_(test|bench)_${mode}_[0-9a-f]+$ ]]; then
      echo "$name"
    elif [[ "$mode" == "--stale" && "$name" =~ ^sb_(test|bench|e2e)_ ]] && (( ${age:-0} > day )); then
      echo "$name"
    fi
  done
}

mode=${1:-}
if [[ "$mode" == "--plan" ]]; then
  select_drops "${2:?--plan needs a run id or --stale}"
  exit 0
fi
if [[ -z "$mode" ]] || ! [[ "$mode" == "--stale" || "$mode" =~ ^[a-z0-9]{1,32}$ ]]; then
  echo "usage: drop-test-databases.sh <run-id> | --stale" >&2
  exit 2
fi

as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
psql_postgres() { (cd / && as_root su postgres -c "psql -qtA -v ON_ERROR_STOP=0 $*"); }
# Each database's age from its PG_VERSION file, written when it was created.
list=$(psql_postgres <<'SQL'
SELECT datname || ' ' || floor(extract(epoch FROM now() - (pg_stat_file('base/' || oid || '/PG_VERSION')).modification))::bigint
FROM pg_database WHERE datname LIKE 'sb\_test\_%' OR datname LIKE 'sb\_bench\_%' OR datname LIKE 'sb\_e2e\_%';
SQL
)
drops=$(select_drops "$mode" <<< "$list")
[[ -n "$drops" ]] || exit 0
{
  while read -r name; do
    # A run's own databases are forced (its servers may still hold connections as it ends); a stale one is dropped
    # only when nobody is connected, in case a run is slower than it looks.
    if [[ "$mode" == "--stale" ]]; then
      printf 'DROP DATABASE IF EXISTS "%s";\n' "$name"
    else
      printf 'DROP DATABASE IF EXISTS "%s" WITH (FORCE);\n' "$name"
    fi
  done <<< "$drops"
} | psql_postgres >/dev/null
