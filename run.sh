#!/usr/bin/env bash
# Starts AsyncJobs on local processes (PostgreSQL, Redis, API, worker, notifier) and prints where
# everything is. Ctrl+C stops all of it. Data and logs stay in .local/run between runs.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK is missing (dotnet not on PATH); see global.json for the version" >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

scripts/infra.sh install
# Services a previous run left behind when it was killed outright.
scripts/infra.sh sweep .local/run

echo "Building..."
dotnet build AsyncJobs.LocalHost/AsyncJobs.LocalHost.csproj -c Release -nologo -v q -clp:ErrorsOnly

exec dotnet AsyncJobs.LocalHost/bin/Release/net10.0/AsyncJobs.LocalHost.dll
