#!/usr/bin/env bash
# The benchmark's short run, for CI: every scenario, small and quick (about 3 minutes on 2 cores), so the
# harness never rots. It asserts no timing: the exit code is non-zero only when a scenario throws (or the
# topology does not start). Results go to bench/results (override with --out DIR); extra arguments pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

scripts/infra.sh install
scripts/infra.sh install-wrk
# Never over the committed full-run results in bench/results (a later --out wins).
exec dotnet run --project bench/AsyncJobs.Bench -c Release -- --short --out .local/bench-short "$@"
