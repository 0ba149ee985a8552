#!/usr/bin/env bash
# Every issue-12 figure in one run, as ratios against ceilings measured in the same run:
#  - a raw ASP.NET Core JSON endpoint (bench/RawEndpoint, its own process next to the server);
#  - GET /v1/companies/current and GET /v1/vendors?limit=50&cursor=0 (50 full vendors) against it;
#  - POST /v1/journal-entries (2 lines, posted, durable) against pgbench doing the same inserts on the same
#    database, and the same posting spread over 4 entities against 1 entity;
#  - bank transactions in 500-line batches (bench/BankIngest), lines/s;
#  - server RSS after all of it, and restart-to-ready on the existing data folder.
# The server is a Release build on its embedded PostgreSQL 15 (durable commits) in a scratch data folder.
# Usage: bench/run.sh [seconds] [connections]          (prints a Markdown report; paste it into RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
data=$(mktemp -d /tmp/ledgerlight-bench-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rawport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

for p in src/Ledgerlight bench/LoadDriver bench/RawEndpoint bench/BankIngest; do dotnet build -c Release "$p" >/dev/null; done
server="dotnet src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll"
driver="dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll"
url="http://127.0.0.1:$port"

company=$($server companies create --name "Bench Co" --currency USD --data "$data")
key=$($server keys create --company "$company" --role ADMIN --data "$data")

start_server() {
  LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
    $server serve --data "$data" --urls "$url" >> "$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do curl -sf "$url/health/ready" >/dev/null && return; sleep 0.05; done
  echo "server did not start:"; tail -20 "$data/server.log"; exit 1
}
dotnet bench/RawEndpoint/bin/Release/net10.0/RawEndpoint.dll "http://127.0.0.1:$rawport" >/dev/null 2>&1 &
rawpid=$!
start_server
trap 'kill -TERM $pid $rawpid 2>/dev/null; wait $pid $rawpid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$rawport/" >/dev/null && break; sleep 0.1; done

# The embedded cluster wants its superuser password (kept 0600 in the data folder) from psql and pgbench too.
export PGPASSWORD=$(cat "$data/postgres-password")
psql=(psql -h "$data/run" -U postgres -d ledgerlight -v ON_ERROR_STOP=1 -qtA)
for i in $(seq 60); do
  curl -sf -u "$key:" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench Vendor $i\",\"email\":\"v$i@example.com\",\"country\":\"US\",\"city\":\"Springfield\",\"address\":\"$i Main St\"}" \
    "$url/v1/vendors" >/dev/null
done
entities=$("${psql[@]}" -v company="$company" -f bench/sql/add-entities.sql | tr '\n' ' ')
entity=${entities%% *}
debit=$("${psql[@]}" -c "SELECT id FROM ledger_accounts WHERE company_id = '$company' AND code = 6200")
credit=$("${psql[@]}" -c "SELECT id FROM ledger_accounts WHERE company_id = '$company' AND code = 1200")

out=$data/report.md
echo "# bench/run.sh $seconds $connections — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out"
echo | tee -a "$out"
# Raw ceiling first, the server's read paths right after it (same driver, same connections).
RAW_URL="http://127.0.0.1:$rawport" $driver "$url" "$key" "$seconds" "$connections" load \
  "raw:/" /v1/companies/current "/v1/vendors?limit=50&cursor=0" | tee -a "$out"
$driver "$url" "$key" "$seconds" "$connections" ledger "$entity" | tail -1 | tee -a "$out"
$driver "$url" "$key" "$seconds" "$connections" ledger $entities | tail -1 | tee -a "$out"
pg=$("$bin/pgbench" -h "$data/run" -U postgres -n -c "$connections" -j 2 -T "$seconds" -f bench/sql/pgbench-post.sql \
  -D company="'$company'" -D entity="'$entity'" -D debit="'$debit'" -D credit="'$credit'" ledgerlight 2>&1)
pgtps=$(echo "$pg" | awk '/^tps/ {print $3; exit}')
pglat=$(echo "$pg" | awk '/latency average/ {print $4; exit}')
echo "| pgbench: the same inserts as plain SQL (bench/sql/pgbench-post.sql) | ${pgtps%.*} | avg ${pglat} | - | 0 |" | tee -a "$out"
echo | tee -a "$out"
trial=$("${psql[@]}" -c "SELECT coalesce(sum(signed_local_amount), 0) FROM ledger_lines WHERE company_id = '$company'")
bank=$(dotnet bench/BankIngest/bin/Release/net10.0/BankIngest.dll "$url" "$key" 200 4)
echo "$bank" | tee -a "$out"
echo | tee -a "$out"

rss_mb=$(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
kill -TERM $pid; wait $pid 2>/dev/null || true
started=$(date +%s.%N)
start_server
ready=$(echo "$(date +%s.%N) - $started" | bc)

cell() { awk -F'|' -v s="$1" 'index($2, s) { gsub(/ /, "", $'"$2"'); print $'"$2"'; exit }' "$out"; }
raw=$(cell "GET raw:/" 3)
cur=$(cell "GET /v1/companies/current" 3)
ven=$(cell "GET /v1/vendors?limit=50&cursor=0" 3); venp99=$(cell "GET /v1/vendors?limit=50&cursor=0" 5)
je=$(cell "durable commit) " 3); jep99=$(cell "durable commit) " 5)
je4=$(cell "4 entities" 3)
lines=$(cell "POST 500 new lines per request" 3)
ratio() { echo "scale=3; $1 / $2" | bc; }
{
  echo "## Issue 12 targets (this run; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| scenario | measured | target |"
  echo "|---|---:|---:|"
  echo "| GET /v1/companies/current vs raw endpoint | $(ratio "$cur" "$raw") ($cur / $raw req/s) | ≥ 0.25 |"
  echo "| GET /v1/vendors?limit=50&cursor=0 vs raw endpoint | $(ratio "$ven" "$raw"), p99 $venp99 ms | ≥ 0.10, p99 ≤ 20 ms |"
  echo "| POST /v1/journal-entries vs pgbench | $(ratio "$je" "$pgtps"), p99 $jep99 ms ($je / ${pgtps%.*} per s) | ≥ 0.6, p99 ≤ 250 ms |"
  echo "| posting over 4 entities vs 1 | $(ratio "$je4" "$je") ($je4 / $je per s) | ≥ 3 |"
  echo "| bank transactions, 500-line batches | $lines lines/s | ≥ 60,000 |"
  echo "| server RSS after the bench / restart-to-ready | $rss_mb MB / ${ready} s | ≤ 250 MB / ≤ 3 s |"
  echo "| trial balance after the posting runs (sum of signed local amounts) | $trial | 0 |"
} | tee -a "$out"
