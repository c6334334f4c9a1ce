#!/usr/bin/env bash
# The crash loop of the reliability suite (docs/reliability.md) in its full form: 20 SIGKILLs at random moments under
# the mixed load, per engine, each followed by the history checker. The test run's short form kills 5 times.
# Usage: bench/crash.sh [--kills N] [--engine sqlite|postgres|both] [--broken] [--no-build]
#   --broken  builds the deliberately broken server (the SQLite writer answers before it commits) into a folder of
#             its own and runs the SQLite loop against it; succeeds only when the checker goes red.
# PostgreSQL 127.0.0.1:5432 (user/password switchboard) must be up for the postgres engine.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${CONFIGURATION:-Release}"
kills=20
engine=both
broken=false
build=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --engine) engine="$2"; shift 2 ;;
    --broken) broken=true; engine=sqlite; shift ;;
    --no-build) build=false; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

project=tests/Switchboard.EndToEnd.Tests
if $build; then
  dotnet build "$project" -c "$configuration" -nologo -v quiet
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-crash-XXXXXX")
trap 'rm -rf "$out"' EXIT
report="$out/report.txt"

if $broken; then
  dotnet build src/Switchboard.Cli -c "$configuration" -p:SwitchboardFaultAckBeforeCommit=true \
    --artifacts-path "$out/broken" -nologo -v quiet
  export SWITCHBOARD_TEST_SERVER_DLL
  SWITCHBOARD_TEST_SERVER_DLL=$(find "$out/broken/bin/Switchboard.Cli" -name switchboard.dll | head -n 1)
fi

case "$engine" in
  both) filter="FullyQualifiedName~Reliability.CrashLoopTests" ;;
  sqlite|postgres) filter="FullyQualifiedName~Reliability.CrashLoopTests&FullyQualifiedName~_on_$engine" ;;
  *) echo "unknown engine: $engine" >&2; exit 2 ;;
esac

status=0
SWITCHBOARD_CRASH_KILLS="$kills" SWITCHBOARD_CRASH_REPORT="$report" \
  dotnet test "$project" -c "$configuration" --no-build --filter "$filter" -nologo > "$out/test.log" 2>&1 || status=$?
cat "$report" 2>/dev/null || true

if $broken; then
  if [[ $status -ne 0 ]] && grep -q "anomaly: acknowledged publish .* is lost\|anomaly: .*acknowledged .* lost" "$report"; then
    echo "crash: the broken build lost acknowledged work and the checker caught it, as it must"
    exit 0
  fi
  tail -n 40 "$out/test.log"
  echo "crash: the checker did not catch the broken build" >&2
  exit 1
fi
if [[ $status -ne 0 ]]; then
  tail -n 60 "$out/test.log"
  echo "crash: the crash loop failed" >&2
fi
exit $status
