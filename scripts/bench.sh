#!/usr/bin/env bash
# One command for the performance figures (issue 15): Minyi's public pages beside the floor
# (benches/floor.rs: bare actix-web + SQLite, a Fortunes page, plaintext, one-row INSERTs at
# synchronous=FULL and NORMAL), each measured with wrk for BENCH_SECONDS, server pinned to core 0
# and wrk to core 1, loopback only. Prints each figure, the floor's and the ratio, and the
# server's peak memory (VmHWM). Ballot submissions through the whole stack and the 1,000,000-
# ballot tally come from `cargo bench --bench collection` (BENCH_BALLOTS=1 runs it too).
#
#   bash scripts/bench.sh            (BENCH_SECONDS=10 BENCH_CONNECTIONS=16 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${BENCH_SECONDS:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "bench: taskset (util-linux) is needed" >&2; exit 2; }

echo "== building (release)"
cargo build --release --quiet
floor_bin=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "floor" and m.get("executable"):
        print(m["executable"])')
[ -x "$floor_bin" ] || { echo "bench: could not build the floor" >&2; exit 2; }

work=$(mktemp -d /tmp/minyi-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "bench: $1 did not come up" >&2; exit 2; }
# Requests per second for one URL (GET, or POST with a body of `$2` when given).
rate() {
  local url=$1 post=${2:-}
  local script=()
  if [ -n "$post" ]; then
    printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' "$post" >"$work/post.lua"
    script=(-s "$work/post.lua")
  fi
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" "${script[@]}" "$url" 2>/dev/null |
    awk '/Requests\/sec/ {printf "%.0f", $2}'
}
row() { # what, minyi, floor
  python3 -c 'import sys
what, mine, floor = sys.argv[1], float(sys.argv[2] or 0), float(sys.argv[3] or 0)
ratio = f"{mine / floor:.2f}" if floor else "-"
print(f"| {what} | {mine:,.0f} | {floor:,.0f} | {ratio} |")' "$@"
}

echo "== the floor"
fport=$(port)
taskset -c 0 "$floor_bin" "$work/floor" "127.0.0.1:$fport" >/dev/null &
floor_pid=$!
wait_up "http://127.0.0.1:$fport/plaintext"
floor_fortunes=$(rate "http://127.0.0.1:$fport/fortunes")
floor_plain=$(rate "http://127.0.0.1:$fport/plaintext")
floor_full=$(rate "http://127.0.0.1:$fport/insert/full" "x=1")
floor_normal=$(rate "http://127.0.0.1:$fport/insert/normal" "x=1")
kill "$floor_pid"; wait "$floor_pid" 2>/dev/null || true

echo "== Minyi (release, demo data, SQLite at synchronous=FULL)"
mport=$(port)
MINYI_DATA_DIR="$work/minyi" MINYI_BIND="127.0.0.1:$mport" MINYI_WORKERS=1 \
  taskset -c 0 target/release/minyi serve >"$work/minyi.log" 2>&1 &
minyi_pid=$!
wait_up "http://127.0.0.1:$mport/"
base="http://127.0.0.1:$mport"
declare -a pages=("/" "/v/taoyuan" "/v/taoyuan/notices" "/v/taoyuan/rounds" "/v/taoyuan/council")
for extra in /v/taoyuan/projects /v/taoyuan/funds; do
  curl -fs -o /dev/null "$base$extra" && pages+=("$extra")
done
declare -A results
for page in "${pages[@]}"; do
  results[$page]=$(rate "$base$page")
done
peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$minyi_pid/status")

echo
echo "Machine: $(nproc) cores, $(date -u +%F); server on core 0, wrk on core 1, $CONNECTIONS connections, ${SECONDS_EACH}s each."
echo
echo "| what | Minyi req/s | floor req/s | ratio |"
echo "|---|---|---|---|"
for page in "${pages[@]}"; do
  row "GET $page (floor: Fortunes)" "${results[$page]}" "$floor_fortunes"
done
row "floor plaintext" "$floor_plain" "$floor_plain"
row "floor one-row INSERT at FULL (NORMAL: $floor_normal/s)" "$floor_full" "$floor_full"
echo
echo "Minyi peak memory (VmHWM) after the runs above: $peak"
kill "$minyi_pid"; wait "$minyi_pid" 2>/dev/null || true

if [ "${BENCH_BALLOTS:-0}" = 1 ]; then
  echo
  echo "== ballot submissions through the whole stack and the 1,000,000-ballot tally"
  cargo bench --bench collection
fi
