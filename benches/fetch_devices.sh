#!/usr/bin/env bash
# Benchmark: fetch 100,000 devices from the simulated tenant and write them as JSON, and as
# the table a person reads.
#
# Compares `socops devices list --json` with curl walking the same @odata.nextLink pages,
# and reports socops' peak memory for the JSON and for the table output (`devices list`
# without --json, piped). Targets (issue "The house"): --json within 1.1x of curl's time,
# the table under 100 MB peak RSS. Everything runs on 127.0.0.1. Usage:
#   benches/fetch_devices.sh [DEVICES]        (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${1:-100000}
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
# A GUID: socops refuses a tenant id that is neither a GUID nor a domain name.
tenant=00000000-0000-4000-8000-00000000be0c
work=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/socops
"$bin" sim --port "$port" --devices "$devices" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 200); do curl -s -o /dev/null "$base/api/machines" && break; sleep 0.1; done

token=$(curl -s -d "grant_type=client_credentials&client_id=bench&client_secret=bench&scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default" \
  "$base/$tenant/oauth2/v2.0/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

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
  AZURE_TENANT_ID=$tenant AZURE_CLIENT_ID=bench AZURE_CLIENT_SECRET=bench \
    /usr/bin/time -f "%M" -o "$work/rss" \
    "$bin" --authority-url "$base" --mde-url "$base" --graph-url "$base" devices list --json >"$work/socops.json"
}

socops_table() {
  AZURE_TENANT_ID=$tenant AZURE_CLIENT_ID=bench AZURE_CLIENT_SECRET=bench \
    /usr/bin/time -f "%M" -o "$work/rss_table" \
    "$bin" --authority-url "$base" --mde-url "$base" --graph-url "$base" devices list >"$work/socops.txt"
}

now() { date +%s.%N; }
# warm-up (the simulator builds its pages lazily)
curl_walk
t0=$(now); curl_walk; t1=$(now)
socops_fetch
t2=$(now); socops_fetch; t3=$(now)
t4=$(now); socops_table; t5=$(now)

curl_s=$(echo "$t1 - $t0" | bc -l)
socops_s=$(echo "$t3 - $t2" | bc -l)
ratio=$(echo "$socops_s / $curl_s" | bc -l)
rss_mb=$(( $(cat "$work/rss") / 1024 ))
table_s=$(echo "$t5 - $t4" | bc -l)
table_rss_mb=$(( $(cat "$work/rss_table") / 1024 ))
records=$(grep -o '"computerDnsName"' "$work/socops.json" | wc -l)
# The table: a header line, then one line per device.
table_rows=$(( $(wc -l <"$work/socops.txt") - 1 ))
printf 'devices: %s (socops wrote %s records, %s table rows; curl walked %s)\n' "$devices" "$records" "$table_rows" "$(cat "$work/curl.pages")"
printf 'curl:   %.2f s\nsocops --json: %.2f s  (%.2fx curl), peak RSS %s MB\n' "$curl_s" "$socops_s" "$ratio" "$rss_mb"
printf 'socops table:  %.2f s, peak RSS %s MB\n' "$table_s" "$table_rss_mb"
ok=1
[ "$records" -eq "$devices" ] || { echo "FAIL: expected $devices records"; ok=0; }
[ "$table_rows" -ge "$devices" ] || { echo "FAIL: expected $devices table rows"; ok=0; }
(( $(echo "$ratio <= 1.1" | bc -l) )) || { echo "FAIL: --json slower than 1.1x curl"; ok=0; }
[ "$table_rss_mb" -le 100 ] || { echo "FAIL: table peak RSS over 100 MB"; ok=0; }
[ $ok -eq 1 ] && echo "OK"
