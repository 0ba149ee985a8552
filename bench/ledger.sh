#!/usr/bin/env bash
# Ledger benchmarks: journal entries posted per second through HTTP (durable commits) against
# pgbench running the same inserts as plain SQL on the same database, then report and list
# latency on ledgers of 1 million and (with "10m") 10 million lines.
# Usage: bench/ledger.sh [seconds] [connections] [1m|10m]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
size=${3:-1m}
data=$(mktemp -d /tmp/ledgerlight-ledger-bench-XXXX)
port=18081
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

dotnet build -c Release src/Ledgerlight >/dev/null
dotnet build -c Release bench/LoadDriver >/dev/null
server="dotnet src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll"
driver="dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll"

company=$($server companies create --name "Ledger Bench" --currency USD --data "$data")
key=$($server keys create --company "$company" --role ADMIN --data "$data")
LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
  $server serve --data "$data" --urls "http://127.0.0.1:$port" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

# The embedded cluster wants its superuser password (kept 0600 in the data folder) from psql and pgbench too.
export PGPASSWORD=$(cat "$data/postgres-password")
psql=(psql -h "$data/run" -U postgres -d ledgerlight -v ON_ERROR_STOP=1 -qtA)
entity=$("${psql[@]}" -c "SELECT id FROM company_entities WHERE company_id = '$company'")
debit=$("${psql[@]}" -c "SELECT id FROM ledger_accounts WHERE company_id = '$company' AND code = 6200")
credit=$("${psql[@]}" -c "SELECT id FROM ledger_accounts WHERE company_id = '$company' AND code = 1200")

echo "## Posting: HTTP vs pgbench ($(date -u +%Y-%m-%d), $connections connections, $seconds s, $(nproc) cores)"
$driver "http://127.0.0.1:$port" "$key" "$seconds" "$connections" ledger
"$bin/pgbench" -h "$data/run" -U postgres -n -c "$connections" -j 2 -T "$seconds" -f bench/sql/pgbench-post.sql \
  -D company="'$company'" -D entity="'$entity'" -D debit="'$debit'" -D credit="'$credit'" ledgerlight 2>&1 | grep -E "^tps|latency average"

latency() {
  local lines
  lines=$("${psql[@]}" -c "SELECT count(*) FROM ledger_lines WHERE company_id = '$company'")
  echo "## Latency with $lines ledger lines"
  $driver "http://127.0.0.1:$port" "$key" 30 1 latency \
    "/v1/reports/trial-balance?asOf=2026-12-31" \
    "/v1/reports/balance-sheet?asOf=2025-06-30" \
    "/v1/ledger-transaction-lines?limit=50&cursor=0" \
    "/v1/ledger-transaction-lines?limit=50&cursor=0&filter=postingDate:gte:2026-06-01" \
    "/v1/ledger-transaction-lines?limit=50&cursor=0&filter=accountId:eq:$debit,postingDate:gte:2025-01-01" \
    "/v1/ledger-transaction-lines?limit=50&cursor=0&sort=postingDate:desc" \
    "/v1/accounting-documents/accounting-documents?limit=50&cursor=0"
}

"${psql[@]}" -v n=500000 -v company="$company" -v entity="$entity" -f bench/sql/generate-lines.sql
latency
if [ "$size" = "10m" ]; then
  "${psql[@]}" -v n=4500000 -v company="$company" -v entity="$entity" -f bench/sql/generate-lines.sql
  latency
fi
