#!/usr/bin/env bash
# Messages per fsync and SQLite writer CPU per message during W1 on Switchboard/SQLite (hub): runs the runner in
# quick mode (warm-up: 500 messages of W1 and of W2, then RUNS runs of MESSAGES W1 messages), counts fsync and
# fdatasync calls per server thread with `perf stat --per-thread`, and samples the CPU time (utime + stime) of the
# writer's threads (sqlite-writer, sqlite-sync, sqlite-checkpoint) from /proc until the server exits.
# Usage: bench/profile/writer.sh SERVER_DLL [MESSAGES] [RUNS]
# Needs: a Release build of bench/Switchboard.Bench and perf (Debian package linux-perf), as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
dll=$1; messages=${2:-20000}; runs=${3:-3}
out=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-writer-XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$out"' EXIT
cut -d' ' -f1-3 /proc/loadavg > "$out/load-before.txt"
dotnet bench/Switchboard.Bench/bin/Release/net10.0/switchboard-bench.dll --quick --messages "$messages" --runs "$runs" \
  --targets switchboard-hub/sqlite --workloads W1 --server-dll "$dll" --out "$out" > "$out/report.md" 2> "$out/progress.txt" &
runner=$!
server=""
for _ in $(seq 1 300); do
  server=$(pgrep -P "$runner" -f 'switchboard.dll serve' | head -1 || true)
  [[ -n "$server" ]] && break
  sleep 0.2
done
[[ -n "$server" ]] || { echo "writer: the server did not start" >&2; exit 1; }
# perf follows the threads that exist when it attaches: wait for the checkpointer, the last of the writer's threads.
for _ in $(seq 1 300); do
  grep -qs '^sqlite-checkpoi' /proc/"$server"/task/*/comm && break
  sleep 0.1
done
perf stat --per-thread -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync' -p "$server" 2> "$out/perf.txt" &
perf=$!
declare -A cpu
while kill -0 "$server" 2> /dev/null; do
  for task in /proc/"$server"/task/*; do
    name=$(cat "$task/comm" 2> /dev/null || true)
    if [[ "$name" == sqlite-* ]]; then
      # utime + stime, in clock ticks (fields 14 and 15; the name has no spaces).
      cpu[$name]=$(awk '{ print $14 + $15 }' "$task/stat" 2> /dev/null || echo "${cpu[$name]:-0}")
    fi
  done
  sleep 0.2
done
wait "$runner" || true
wait "$perf" || true
total=$(( runs * messages + 1000 ))
ticks=$(getconf CLK_TCK)
echo "load before: $(cat "$out/load-before.txt"), after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^\|.*W1' "$out/report.md" | head -3 || true
echo "messages published and acked in the server's life: $total"
echo "fsync/fdatasync calls per thread (threads with none left out):"
grep -E 'syscalls:' "$out/perf.txt" | grep -vE 'not counted|^ *[^ ]+ +0 ' | sed 's/^ */  /' || true
for name in "${!cpu[@]}"; do
  awk -v n="$name" -v t="${cpu[$name]}" -v hz="$ticks" -v m="$total" \
    'BEGIN { printf "  %s: %.2f s CPU, %.1f us per message\n", n, t / hz, t / hz * 1e6 / m }'
done
