#!/usr/bin/env bash
# Bank-transaction ingestion: starts a Release build of the server on its embedded PostgreSQL
# (durable commits, default settings) in a scratch data folder, creates a company and key with the
# CLI, and runs bench/BankIngest against it. Usage: bench/bank-ingest.sh [batches] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
batches=${1:-200}
connections=${2:-4}
data=$(mktemp -d /tmp/ledgerlight-bench-XXXX)
# Other benchmarks may be running on this machine: take a free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

dotnet build -c Release src/Ledgerlight >/dev/null
dotnet build -c Release bench/BankIngest >/dev/null
server="dotnet src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll"

$server companies create --name "Bench Bank Co" --currency USD --data "$data" >/dev/null
key=$($server keys create --company "Bench Bank Co" --role ADMIN --data "$data")

LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
  $server serve --data "$data" --urls "http://127.0.0.1:$port" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "server did not start:"; tail -20 "$data/server.log"; exit 1; }
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

dotnet bench/BankIngest/bin/Release/net10.0/BankIngest.dll "http://127.0.0.1:$port" "$key" "$batches" "$connections"
