#!/usr/bin/env bash
# Before/after in one run: builds two revisions in Release, and for each (alternating, `rounds`
# times) starts the server on a fresh embedded PostgreSQL, runs the foundation scenarios and the
# journal-entry posting scenario of bench/LoadDriver, and stops it. Compare the ratios to the
# trivial endpoint printed under each table; absolute figures move with whatever else the 2 cores do.
# Usage: bench/compare.sh BASE_REV [seconds] [connections] [rounds]   (the other side is the working tree)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?base revision}
seconds=${2:-8}
connections=${3:-32}
rounds=${4:-2}
work=$(mktemp -d /tmp/ledgerlight-compare-XXXX)
port=18082
trap 'git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/base-src" "$base"
dotnet build -c Release "$work/base-src/src/Ledgerlight" -o "$work/base" >/dev/null
dotnet build -c Release src/Ledgerlight -o "$work/head" >/dev/null
dotnet build -c Release bench/LoadDriver -o "$work/driver" >/dev/null

run_one() {
  local label=$1 server="dotnet $work/$1/Ledgerlight.dll" data
  # Directly under /tmp: the embedded cluster runs as postgres, which cannot enter the 0700 work folder.
  data=$(mktemp -d /tmp/ledgerlight-compare-data-XXXX)
  $server companies create --name "Bench Co" --currency USD --data "$data" >/dev/null
  local key
  key=$($server keys create --company "Bench Co" --role ADMIN --data "$data")
  LEDGERLIGHT_RATE_LIMIT_PER_MINUTE=100000000 LEDGERLIGHT_RATE_LIMIT_PER_DAY=1000000000 \
    $server serve --data "$data" --urls "http://127.0.0.1:$port" > "$data/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
  echo "### $label ($( [ "$label" = base ] && git rev-parse --short "$base" || echo "working tree" ))"
  dotnet "$work/driver/LoadDriver.dll" "http://127.0.0.1:$port" "$key" "$seconds" "$connections" | tee "$data/foundation.md"
  dotnet "$work/driver/LoadDriver.dll" "http://127.0.0.1:$port" "$key" "$seconds" "$connections" ledger | tail -1 | tee -a "$data/foundation.md"
  echo
  awk -F'|' '$3+0>0 { if (!t) t=$3; printf "ratio to trivial: %-70s %.4f\n", $2, $3/t }' "$data/foundation.md"
  echo
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -rf "$data"
}

for round in $(seq "$rounds"); do
  echo "## Round $round"
  run_one base
  run_one head
done
