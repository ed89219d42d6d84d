#!/usr/bin/env bash
# Builds everything, runs every test against real PostgreSQL and Redis, then the benchmark's short mode (counted as
# one test). The last line printed is "N passed, N failed, N skipped"; the exit code is dotnet test's, or the
# benchmark's when only it failed.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1

logs=.local/logs
mkdir -p "$logs"
test_log="$logs/test.log"
passed=0 failed=0 skipped=0

# Topologies a crashed or killed test host left behind (the fixtures keep their data in .local/test-*,
# the Aspire fixture in .local/test-aspire-*).
sweep() {
  local dir
  for dir in .local/test-*/; do
    [ -d "$dir" ] && scripts/infra.sh destroy "$dir" 2>/dev/null
  done
  return 0
}

finish() {
  sweep
  echo "$passed passed, $failed failed, $skipped skipped"
  exit "$1"
}
trap 'echo "test.sh: interrupted" >&2; failed=$((failed + 1)); finish 130' INT TERM

if ! scripts/infra.sh install; then
  echo "test.sh: could not install PostgreSQL and Redis" >&2
  failed=1; finish 1
fi
if ! scripts/infra.sh install-chromium; then
  echo "test.sh: could not install chromium (the console's browser tests need it)" >&2
  failed=1; finish 1
fi

target=AsyncJobs.sln
if ! timeout 120 dotnet restore AsyncJobs.AppHost/AsyncJobs.AppHost.csproj -nologo -v q >"$logs/aspire-restore.log" 2>&1; then
  echo "Aspire packages do not restore here: skipping AsyncJobs.AppHost and AsyncJobs.AspireTests (see $logs/aspire-restore.log)"
  target=AsyncJobs.Local.slnf
fi

echo "Building $target..."
if ! dotnet build "$target" -c Release -nologo -v q -clp:ErrorsOnly 2>&1 | tee "$logs/build.log"; then
  echo "test.sh: the build failed (see $logs/build.log)" >&2
  failed=1; finish 1
fi

# The Aspire tests run wherever Aspire restores. Their PostgreSQL and Redis are containers where a container
# runtime answers; elsewhere the fixture starts them with scripts/infra.sh and DCP runs only the projects.
if [ "$target" = AsyncJobs.sln ] && ! timeout 20 docker info >/dev/null 2>&1; then
  echo "No container runtime answers here: AsyncJobs.AspireTests runs the AppHost against local PostgreSQL and Redis"
fi

echo "Testing $target..."
# Within CI's 90 minutes together with the build and the benchmark's 15, so a hung run still prints its summary.
# --foreground lets Ctrl+C reach the tests. One test module at a time: the integration tests and the Aspire tests
# each run a whole topology, and on 2 cores two topologies at once stretched a 60 ms cancel to a second.
timeout --foreground --kill-after=60s 60m \
  dotnet test --solution "$target" -c Release --no-build --no-progress --no-ansi --max-parallel-test-modules 1 2>&1 | tee "$test_log"
status=${PIPESTATUS[0]}

# dotnet test ends with "Test run summary:" and indented "total: N", "failed: N", "succeeded: N", "skipped: N".
count() {
  awk -v key="$1" '/^Test run summary:/ { summary = 1 }
    summary && $0 ~ "^[[:space:]]+" key ":[[:space:]]*[0-9]+[[:space:]]*$" { sum += $2 }
    END { print sum + 0 }' "$test_log"
}
passed=$(count succeeded)
failed=$(count failed)
skipped=$(count skipped)
# A run that failed without counting a failed test (a crashed test host, a timeout, no tests found) still failed.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The benchmark's short mode, so the harness never rots: every scenario, small, about 3-6 minutes. It asserts no
# timing; it counts as ONE test, passed when it exits 0 and failed (failing the run) when a scenario throws or its
# topology does not start. Its results go to .local/bench-short, never over the committed bench/results.
echo "Running the benchmark's short mode (bench/run-short.sh)..."
bench_log="$logs/bench-short.log"
timeout --foreground --kill-after=30s 15m bench/run-short.sh --out .local/bench-short >"$bench_log" 2>&1
bench_status=$?
sweep_bench() {
  local dir
  for dir in .local/bench-*/; do
    [ -d "$dir" ] && [ "$dir" != ".local/bench-short/" ] && scripts/infra.sh destroy "$dir" 2>/dev/null
  done
  return 0
}
sweep_bench
if [ "$bench_status" -eq 0 ]; then
  passed=$((passed + 1))
  echo "bench short mode: passed (results in .local/bench-short, log in $bench_log)"
else
  failed=$((failed + 1))
  echo "bench short mode: FAILED with exit code $bench_status (see $bench_log):" >&2
  tail -n 20 "$bench_log" >&2
  if [ "$status" -eq 0 ]; then status=$bench_status; fi
fi
finish "$status"
