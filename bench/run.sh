#!/usr/bin/env bash
# Load scenario for the foundation: starts a Release build of the server on its embedded
# PostgreSQL (durable commits, default settings) in a scratch data folder, creates a company
# and key with the CLI, and drives it with bench/LoadDriver. Usage: bench/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
data=$(mktemp -d /tmp/ledgerlight-bench-XXXX)
port=18080

dotnet build -c Release src/Ledgerlight >/dev/null
dotnet build -c Release bench/LoadDriver >/dev/null
server="dotnet src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll"

$server companies create --name "Bench Co" --currency USD --data "$data" >/dev/null
key=$($server keys create --company "Bench Co" --role ADMIN --data "$data")

LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
  $server serve --data "$data" --urls "http://127.0.0.1:$port" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll "http://127.0.0.1:$port" "$key" "$seconds" "$connections"
