#!/usr/bin/env bash
# Profiles one scenario: starts a Release server on a fresh embedded PostgreSQL (like run.sh), seeds
# 60 vendors, then runs the scenario under dotnet-trace (sampling CPU profiler) and prints the
# methods most often on the stack (inclusive) and on top of it (exclusive).
# Usage: bench/profile.sh <companies|vendors|journal|all> [seconds] [connections]
# Needs: dotnet tool install -g dotnet-trace
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:$HOME/.dotnet/tools
scenario=${1:-all}
seconds=${2:-8}
connections=${3:-32}
data=$(mktemp -d /tmp/ledgerlight-profile-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

dotnet build -c Release src/Ledgerlight >/dev/null
dotnet build -c Release bench/LoadDriver >/dev/null
server="dotnet src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll"
driver="dotnet bench/LoadDriver/bin/Release/net10.0/LoadDriver.dll"
$server companies create --name "Profile Co" --currency USD --data "$data" >/dev/null
key=$($server keys create --company "Profile Co" --role ADMIN --data "$data")
LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
  $server serve --data "$data" --urls "http://127.0.0.1:$port" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
for i in $(seq 60); do
  curl -sf -u "$key:" -H 'Content-Type: application/json' -d "{\"name\":\"Profile Vendor $i\",\"country\":\"US\"}" \
    "http://127.0.0.1:$port/v1/vendors" >/dev/null
done

profile() {
  local name=$1; shift
  echo "## $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$((seconds + 3))" -o "$data/$name.nettrace" >/dev/null 2>&1 &
  local tracer=$!
  sleep 1
  "$@"
  wait $tracer || true
  echo '```'
  dotnet-trace report "$data/$name.nettrace" topN -n 25 2>&1 | grep -v "^\s*$" | head -30 || true
  dotnet-trace report "$data/$name.nettrace" topN -n 25 --inclusive 2>&1 | grep -v "^\s*$" | head -30 || true
  echo '```'
}

case $scenario in companies|all) profile companies $driver "http://127.0.0.1:$port" "$key" "$seconds" "$connections" load /v1/companies/current ;; esac
case $scenario in vendors|all) profile vendors $driver "http://127.0.0.1:$port" "$key" "$seconds" "$connections" load "/v1/vendors?limit=50&cursor=0" ;; esac
case $scenario in journal|all) profile journal $driver "http://127.0.0.1:$port" "$key" "$seconds" "$connections" ledger ;; esac
