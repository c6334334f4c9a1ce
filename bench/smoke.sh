#!/usr/bin/env bash
# Smoke check of the benchmark runner: quick W1, W3 and W5 against Switchboard on SQLite (hub and HTTP), no peers
# needed. Proves the runner works end to end; it never judges speed. Exits non-zero when a workload failed or the
# results are incomplete.
# Usage: bench/smoke.sh [--no-build]     (CONFIGURATION=Release by default; the server and the runner of that
#                                          configuration are built first unless --no-build)
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${CONFIGURATION:-Release}"
if [[ "${1:-}" != "--no-build" ]]; then
  dotnet build src/Switchboard.Cli -c "$configuration" -nologo -v quiet
  dotnet build bench/Switchboard.Bench -c "$configuration" -nologo -v quiet
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench-smoke-XXXXXX")
trap 'rm -rf "$out"' EXIT

status=0
timeout 170 dotnet "bench/Switchboard.Bench/bin/$configuration/net10.0/switchboard-bench.dll" --quick \
  --targets switchboard-hub/sqlite,switchboard-http/sqlite --workloads W1,W3,W5 \
  --server-dll "src/Switchboard.Cli/bin/$configuration/net10.0/switchboard.dll" --out "$out" > "$out/stdout.md" || status=$?
if [[ $status -ne 0 ]]; then
  cat "$out/stdout.md"
  echo "bench smoke: the runner exited with $status" >&2
  exit 1
fi

# Every expected (target, workload) result must be there with its one run succeeded; W3 and W5 with percentiles.
python3 - "$out" <<'PY'
import glob, json, sys
report = json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))
expected = {("switchboard-hub/sqlite", "W1"), ("switchboard-hub/sqlite", "W3"),
            ("switchboard-http/sqlite", "W1"), ("switchboard-http/sqlite", "W3"), ("switchboard-http/sqlite", "W5")}
found = {(r["target"], r["workload"]): r for r in report["results"]}
problems = [f"{t} {w}: missing" for t, w in sorted(expected - found.keys())]
for key in sorted(expected & found.keys()):
    result = found[key]
    runs = result["runs"]
    if not runs or any(r is None for r in runs):
        problems.append(f"{key[0]} {key[1]}: a run failed")
    elif not all(r["rate"] > 0 and r["count"] > 0 for r in runs):
        problems.append(f"{key[0]} {key[1]}: no messages or requests counted")
    elif key[1] in ("W3", "W5") and result["p99Ms"] is None:
        problems.append(f"{key[0]} {key[1]}: no latency percentiles")
if not glob.glob(sys.argv[1] + "/*.svg") or not glob.glob(sys.argv[1] + "/*.md"):
    problems.append("no chart or Markdown report written")
for p in problems:
    print("bench smoke: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "bench smoke: W1, W3 and W5 ran on switchboard-hub/sqlite and switchboard-http/sqlite"
