#!/usr/bin/env bash
# Runs every test from a fresh checkout: installs the Node tools the tests start (Azurite, pinned in
# package-lock.json), builds in Release with warnings as errors, runs all test projects, and ends with one
# summary line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "eng/test.sh: Node.js 20 or later is needed to run Azurite for the storage tests (apt-get install nodejs npm)." >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error

# The in-process Durable Task host runs only Environment.ProcessorCount work items at once; lift that cap.
export DOTNET_PROCESSOR_COUNT="${DOTNET_PROCESSOR_COUNT:-64}"
export Logging__LogLevel__Default="${Logging__LogLevel__Default:-Warning}"

# Build everything first: `dotnet test` alone skips projects no test references (the Functions app, whose
# generated function metadata a test checks, and the benchmarks).
dotnet build Empower.Functions.sln --configuration Release

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test Empower.Functions.sln --configuration Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
echo "${passed} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "eng/test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
