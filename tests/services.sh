#!/usr/bin/env bash
# Installs (from Debian) and starts the servers the tests use, on 127.0.0.1 only. Idempotent.
set -euo pipefail
say() { printf '==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || need+=(python3-prometheus-client)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)  # the benchmark smoke check drives W5 with it
if [ ${#need[@]} -gt 0 ]; then
  say "Installing ${need[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: the distribution's cluster on 127.0.0.1:5432, a superuser role for the tests.
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q .; then as_root pg_createcluster "$version" main >/dev/null; fi
cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
if ! pg_lsclusters -h | head -1 | grep -q online; then
  say "Starting PostgreSQL $cluster"
  # After an unclean stop, recovery first fsyncs every file of the data directory one by one; syncfs does it per
  # file system, in seconds. The longer start timeout covers a slow recovery instead of failing the run.
  if [ "${version%%.*}" -ge 14 ]; then as_root pg_conftool $cluster set recovery_init_sync_method syncfs; fi
  as_root pg_ctlcluster $cluster start -- -t 300
fi
for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL did not start; check 'pg_lsclusters' and its log under /var/log/postgresql."; exit 1; }
# From / so the postgres user can enter the working directory.
(cd / && as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='switchboard'\"" | grep -q 1) \
  || (cd / && as_root su postgres -c "psql -qc \"CREATE ROLE switchboard LOGIN SUPERUSER PASSWORD 'switchboard'\"")

# Leftovers of earlier runs that are over (a run stopped midway cannot drop its own), never a live run's; see drop-test-databases.sh.
bash "$(dirname "$0")/drop-test-databases.sh" --stale

# Redis: started by us on loopback when nothing answers there yet.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "Starting Redis on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --logfile /tmp/switchboard-test-redis.log >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis did not start; see /tmp/switchboard-test-redis.log."; exit 1; }
# Node packages for the JavaScript-client tests (@microsoft/signalr, tus-js-client), pinned by the lock file.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$root/tests/js/node_modules/@microsoft/signalr" ] || [ ! -d "$root/tests/js/node_modules/tus-js-client" ]; then
  command -v npm >/dev/null 2>&1 || { say "Installing nodejs and npm from Debian"; as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null; }
  say "Installing the JavaScript client packages"
  (cd "$root/tests/js" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in tests/js; check the npm registry is reachable."; exit 1; }
fi
say "Services ready: PostgreSQL and Redis on 127.0.0.1"
