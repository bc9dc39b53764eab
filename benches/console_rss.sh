#!/usr/bin/env bash
# Benchmark: the console's resident memory at N devices through the real path — the
# simulator serving Microsoft's pages over HTTP, the worker packing them page by page, the
# tables built by `update` — after the Devices view has loaded and over refreshes (`r`).
# The in-process `cargo bench --bench memory` measures the console state alone; this measures
# the whole process a person runs (runtime, HTTP client, worker, response cache).
# Targets (issue "The house"): ≤ 150 MB after the load, flat over refreshes.
# Needs tmux. Usage: benches/console_rss.sh [DEVICES] [REFRESHES]   (default 100000, 6)
# Refreshes are REFRESH_EVERY seconds apart (default 20): the simulator enforces Defender's
# 100 calls a minute, and a refresh of everything costs about 13 calls at 100,000 devices.
# Extra environment for the console (e.g. GLIBC_TUNABLES=…) goes in CONSOLE_ENV.
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${1:-100000}
refreshes=${2:-6}
every=${REFRESH_EVERY:-20}
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
tenant=00000000-0000-4000-8000-00000000be0c
session="socops-rss-$$"
work=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -x target/release/socops ] || cargo build --release --quiet
bin=$PWD/target/release/socops
"$bin" sim --port "$port" --devices "$devices" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 200); do curl -s -o /dev/null "$base/api/machines" && break; sleep 0.1; done
mkdir -p "$work/config" "$work/data"

tmux new-session -d -s "$session" -x 200 -y 50 \
  "env ${CONSOLE_ENV:-} SOCOPS_CONFIG_DIR=$work/config SOCOPS_DATA_DIR=$work/data \
   AZURE_TENANT_ID=$tenant AZURE_CLIENT_ID=bench AZURE_CLIENT_SECRET=bench \
   $bin --authority-url $base --mde-url $base --graph-url $base; sleep 600"
screen() { tmux capture-pane -t "$session" -p; }
# Wait (at most 60 s) until the screen matches a pattern.
wait_for() {
  for _ in $(seq 1 600); do screen | grep -q -- "$1" && return 0; sleep 0.1; done
  echo "timed out waiting for: $1" >&2; screen >&2; exit 1
}
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }

wait_for "Daily routine"
pid=$(pgrep -P "$(tmux list-panes -t "$session" -F '#{pane_pid}')" socops)
count=$(echo "$devices" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
tmux send-keys -t "$session" ':devices' Enter
wait_for "Devices · $count"
sleep 3  # the other loads of the home settle
loaded=$(rss)
echo "# Console memory at $devices devices (the socops binary against the simulator)"
echo
echo "| when | RSS |"
echo "|---|---|"
echo "| after the Devices view has loaded | $loaded MB |"
first=0
for i in $(seq 1 "$refreshes"); do
  start=$(date +%s)
  tmux send-keys -t "$session" 'r'
  # The refresh is done when the header's data age starts again from zero.
  sleep 1
  wait_for "data [0-3]s old"
  sleep 3
  now=$(rss)
  [ "$i" -eq 1 ] && first=$now
  echo "| after refresh $i | $now MB |"
  sleep $(( every - ($(date +%s) - start) > 0 ? every - ($(date +%s) - start) : 0 ))
done
echo
echo "peak RSS $(hwm) MB; after load $loaded MB (target ≤ 150 MB); refresh 1 → $refreshes: $first → $now MB"
