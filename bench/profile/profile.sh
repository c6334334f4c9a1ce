#!/usr/bin/env bash
# Profiles the Switchboard server during one benchmark workload: starts the runner (which starts its own server),
# waits for the warm-up, counts syscalls (fsync, WAL writes, socket reads/writes) for 5 s with `perf stat`, then
# takes a 10 s `dotnet-trace` sampled-thread-time trace of the server and converts it to speedscope.
# Usage: bench/profile/profile.sh OUT_DIR TARGET WORKLOAD [runner options...]
#   e.g. bench/profile/profile.sh /tmp/prof-w1 switchboard-hub/sqlite W1 --messages 400000
# Needs: a Release build of src/Switchboard.Cli and bench/Switchboard.Bench, `dotnet tool install -g dotnet-trace`,
# and perf (Debian package linux-perf) for the syscall counts. Profile files are large: keep OUT_DIR outside the repo.
# Summarise with: python3 bench/profile/summarize.py OUT_DIR/trace.speedscope.json
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1; target=$2; workload=$3; shift 3
mkdir -p "$out"
export PATH="$PATH:$HOME/.dotnet/tools"
cut -d' ' -f1-3 /proc/loadavg > "$out/load-before.txt"
dotnet bench/Switchboard.Bench/bin/Release/net10.0/switchboard-bench.dll --runs 1 --targets "$target" --workloads "$workload" \
  --server-dll src/Switchboard.Cli/bin/Release/net10.0/switchboard.dll --out "$out" "$@" > "$out/report.md" 2> "$out/progress.txt" &
runner=$!
server=""
for _ in $(seq 1 150); do
  server=$(pgrep -P "$runner" -f 'switchboard.dll serve' | head -1 || true)
  [[ -n "$server" ]] && break
  sleep 0.2
done
[[ -n "$server" ]] || { echo "profile: the server did not start" >&2; exit 1; }
sleep "${WARM_SECONDS:-6}"
if command -v perf > /dev/null; then
  perf stat -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_pwrite64,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,context-switches' \
    -p "$server" -- sleep 5 2> "$out/perf-stat.txt" || true
fi
dotnet-trace collect -p "$server" --profile dotnet-sampled-thread-time --duration 00:00:00:10 -o "$out/trace.nettrace" > "$out/trace.log" 2>&1
wait "$runner" || true
cut -d' ' -f1-3 /proc/loadavg > "$out/load-after.txt"
dotnet-trace convert "$out/trace.nettrace" --format Speedscope -o "$out/trace" > /dev/null
echo "profile: $out (report.md, perf-stat.txt, trace.nettrace, trace.speedscope.json)"
