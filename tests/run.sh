#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need on a fresh Debian machine (PostgreSQL,
# Redis, an SMTP sink, Node packages), all bound to 127.0.0.1, then runs each test project and
# prints the total as its last line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }

# Every database this run creates carries this id (when it began, and this script's process, which lives as long as
# the run), so the run drops only its own, and a later run can tell a dead run's leftovers from a live run's databases.
export SWITCHBOARD_TEST_RUN_ID="${SWITCHBOARD_TEST_RUN_ID:-$(date +%s)x$$}"

bash "$root/tests/services.sh" || { echo "Could not prepare the test services; see the messages above."; echo "0 passed, 1 failed"; exit 1; }

say "Restoring and building"
mkdir -p "$root/artifacts"
if ! dotnet build Switchboard.sln -c Release -nologo > "$root/artifacts/build.log" 2>&1; then
  grep -E 'error|Error' "$root/artifacts/build.log" | sort -u | head -40
  echo "The build failed; the whole log is in artifacts/build.log."; echo "0 passed, 1 failed"; exit 1
fi

passed=0; failed=0; skipped=0; broken=0
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  say "Testing $name"
  log="$results/$name.log"
  # Only failures (with their message and stack), skips and the project's totals reach the console; the full log stays
  # in the file. Grepping for "error" would show passing tests whose names or output merely contain the word.
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 5m 2>&1 | tee "$log" | awk '
      /^ *Failed [^ ]/ { show = 1; print; next }
      /^ *(Passed|Skipped) [^ ]/ { show = 0; if ($1 == "Skipped") print; next }
      /^(Passed|Failed)! / || /^Total tests:/ || /^ +(Passed|Failed|Skipped): +[0-9]+ *$/ { show = 0; print; next }
      /^ *(Error Message|Stack Trace):/ { if (show) print; next }
      show && /^  +/ { print }
    ' || true
  code=${PIPESTATUS[0]}
  # The runner's summary: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" lines.
  count() { grep -E "^ +$1: +[0-9]+ *$" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
  if ! grep -qE '^Total tests: [0-9]+' "$log"; then
    if grep -q 'No test is available' "$log"; then continue; fi
    echo "$name did not report results (exit $code); see $log."
    broken=$((broken + 1)); continue
  fi
  p=$(count Passed); f=$(count Failed); s=$(count Skipped)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$code" != "0" ] && [ "$f" = "0" ]; then broken=$((broken + 1)); fi
done
# The benchmark runner must keep working: a quick run against Switchboard only. It proves the runner, never judges speed.
say "Benchmark runner smoke check"
if bash "$root/bench/smoke.sh" --no-build > "$results/bench-smoke.log" 2>&1; then passed=$((passed + 1))
else echo "The benchmark smoke check failed; see $results/bench-smoke.log."; failed=$((failed + 1)); fi

say "Dropping this run's test databases"
bash "$root/tests/drop-test-databases.sh" "$SWITCHBOARD_TEST_RUN_ID" \
  || echo "Could not drop this run's test databases; tests/drop-test-databases.sh $SWITCHBOARD_TEST_RUN_ID removes them."

failed=$((failed + broken))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = "0" ]
