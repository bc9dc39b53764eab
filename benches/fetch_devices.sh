#!/usr/bin/env bash
# Benchmark: fetch 100,000 devices from the simulated tenant and write them as JSON.
#
# Compares `socops devices list --json` with curl walking the same @odata.nextLink pages,
# and reports socops' peak memory. Targets (issue "foundation"): within 1.5x of curl's time
# and under 300 MB peak RSS. Everything runs on 127.0.0.1. Usage:
#   benches/fetch_devices.sh [DEVICES]        (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${1:-100000}
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/socops
"$bin" sim --port "$port" --devices "$devices" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 200); do curl -s -o /dev/null "$base/api/machines" && break; sleep 0.1; done

token=$(curl -s -d "grant_type=client_credentials&client_id=bench&client_secret=bench&scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default" \
  "$base/bench-tenant/oauth2/v2.0/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

curl_walk() {
  local url="$base/api/machines?\$top=10000" n=0
  : >"$work/curl.json"
  while [ -n "$url" ]; do
    curl -s --compressed -H "Authorization: Bearer $token" "$url" -o "$work/page.json"
    cat "$work/page.json" >>"$work/curl.json"
    url=$(grep -o '"@odata.nextLink":"[^"]*"' "$work/page.json" | head -n1 | sed -E 's/.*:"(.*)"/\1/' || true)
    n=$((n + 1))
  done
  echo "$n pages" >"$work/curl.pages"
}

socops_fetch() {
  AZURE_TENANT_ID=bench-tenant AZURE_CLIENT_ID=bench AZURE_CLIENT_SECRET=bench \
    /usr/bin/time -f "%M" -o "$work/rss" \
    "$bin" --authority-url "$base" --mde-url "$base" --graph-url "$base" devices list --json >"$work/socops.json"
}

now() { date +%s.%N; }
# warm-up (the simulator builds its pages lazily)
curl_walk
t0=$(now); curl_walk; t1=$(now)
socops_fetch
t2=$(now); socops_fetch; t3=$(now)

curl_s=$(echo "$t1 - $t0" | bc -l)
socops_s=$(echo "$t3 - $t2" | bc -l)
ratio=$(echo "$socops_s / $curl_s" | bc -l)
rss_mb=$(( $(cat "$work/rss") / 1024 ))
records=$(grep -o '"computerDnsName"' "$work/socops.json" | wc -l)
printf 'devices: %s (socops wrote %s records; curl walked %s)\n' "$devices" "$records" "$(cat "$work/curl.pages")"
printf 'curl:   %.2f s\nsocops: %.2f s  (%.2fx curl)\npeak RSS: %s MB\n' "$curl_s" "$socops_s" "$ratio" "$rss_mb"
ok=1
[ "$records" -eq "$devices" ] || { echo "FAIL: expected $devices records"; ok=0; }
(( $(echo "$ratio <= 1.5" | bc -l) )) || { echo "FAIL: slower than 1.5x curl"; ok=0; }
[ "$rss_mb" -lt 300 ] || { echo "FAIL: peak RSS over 300 MB"; ok=0; }
[ $ok -eq 1 ] && echo "OK"
