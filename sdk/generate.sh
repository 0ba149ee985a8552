#!/usr/bin/env bash
# Regenerates the typed client in Ledgerlight.Client/Generated from the OpenAPI document the server
# publishes (GET /openapi.json).
#   sdk/generate.sh                 build the server, start it on a throwaway embedded database,
#                                   save its /openapi.json as sdk/openapi.json, then generate
#   sdk/generate.sh --url URL       take the document from a running server (e.g. http://127.0.0.1:8080)
#   sdk/generate.sh --offline       generate from the sdk/openapi.json already checked in
# Needs: the .NET 10 SDK, jq, curl, and (without --url/--offline) PostgreSQL server binaries.
# Tools come from sdk/dotnet-tools.json (Kiota 1.38.0), restored here.
set -euo pipefail
sdk="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$sdk")"
mode="${1:-serve}"
server=""; work=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi  # SIGTERM: it stops its cluster
  [ -n "$work" ] && rm -rf "$work"
  rm -f "$sdk/obj-client-spec.json"
}
trap cleanup EXIT

fetch() { curl -sSf "$1/openapi.json" | jq . > "$sdk/openapi.json"; }

case "$mode" in
  --offline) ;;
  --url) fetch "${2:?--url needs the server address}" ;;
  serve)
    dotnet build "$root/src/Ledgerlight" -c Release -v quiet -nologo
    work="$(mktemp -d)"; chmod 755 "$work"     # the embedded cluster runs as the postgres user
    port=$(( 20000 + RANDOM % 20000 ))
    dotnet "$root/src/Ledgerlight/bin/Release/net10.0/Ledgerlight.dll" serve \
      --urls "http://127.0.0.1:$port" --data "$work/data" > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 120); do
      curl -sf "http://127.0.0.1:$port/openapi.json" > /dev/null && break
      kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
      sleep 1
    done
    fetch "http://127.0.0.1:$port"
    cleanup; server=""; work="" ;;
  *) echo "usage: $0 [--url URL | --offline]" >&2; exit 2 ;;
esac

cd "$sdk"
out=Ledgerlight.Client/Generated
jq -f tools/client-spec.jq openapi.json > obj-client-spec.json
dotnet tool restore > /dev/null
dotnet kiota generate --language CSharp --openapi obj-client-spec.json --output "$out" \
  --class-name LightApiClient --namespace-name Ledgerlight.Client.Generated \
  --exclude-backward-compatible --clean-output --log-level Error
rm -f "$out/kiota-lock.json" "$out/.kiota.log"   # machine paths and warnings; the generator version is pinned in dotnet-tools.json
jq -r -f tools/pages.jq openapi.json > "$out/CursorPages.g.cs"
echo "generated $(find "$out" -name '*.cs' | wc -l) files from sdk/openapi.json"
