#!/usr/bin/env bash
# One command for the performance figures (issue 15), each beside its yardstick with the ratio:
# - public pages (wrk, BENCH_SECONDS each) against the floor's Fortunes page (benches/floor.rs:
#   bare actix-web + SQLite); the floor's plaintext and one-row INSERTs at FULL and NORMAL;
# - p99 of a public page at half its measured maximum rate, idle and again while 100 household
#   sign-ins per second (real password cost) arrive from a second load process; both loads come
#   from benches/load.rs `paced`, a fixed-rate generator counting latency from each request's
#   scheduled start (wrk2 is not in Debian; plain wrk waits for answers and hides stalls);
# - ballot submissions through the whole stack (sign-in not timed; form GET for the CSRF token,
#   preview POST, confirm POST with the one-ballot constraint and the audit event, SQLite at
#   synchronous=FULL) against the floor's one-row INSERT at FULL, both 16 at once;
# - council votes (member sessions, CSRF, the motion's roll, audit), one at a time and 4 at
#   once, against OpenSlides 3.3's 40.6 / 43.9 votes/s in the same flow (issue 15);
# - the 1,000,000-ballot tally (cargo bench --bench collection, tally part only);
# - the server's peak memory (VmHWM) after all of the above.
# Server on core 0 (one worker), load on core 1, loopback only.
#
#   bash scripts/bench.sh    BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_BALLOTS=2000
#                            BENCH_MOTIONS=100 (per phase, x members) BENCH_TALLY_BALLOTS=1000000
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${BENCH_SECONDS:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
BALLOTS="${BENCH_BALLOTS:-2000}"
MOTIONS="${BENCH_MOTIONS:-100}"
TALLY="${BENCH_TALLY_BALLOTS:-1000000}"
P99_PAGE="/v/taoyuan/notices"
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "bench: taskset (util-linux) is needed" >&2; exit 2; }

echo "== building (release)"
cargo build --release --quiet
bench_bin() { # the executable of a bench target, built in release
  cargo bench --bench "$1" --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == sys.argv[1] and m.get("executable"):
        print(m["executable"])' "$1"
}
floor_bin=$(bench_bin floor); load_bin=$(bench_bin load); collection_bin=$(bench_bin collection)
for b in "$floor_bin" "$load_bin" "$collection_bin"; do
  [ -x "$b" ] || { echo "bench: could not build the bench binaries" >&2; exit 2; }
done

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
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; } # key=value out of a load line
rows=()
row() { rows+=("$(python3 -c 'import sys
what, mine, ref, goal = sys.argv[1], float(sys.argv[2] or 0), float(sys.argv[3] or 0), sys.argv[4]
unit = sys.argv[5] if len(sys.argv) > 5 else ""
ratio = f"{mine / ref:.2f}" if ref else "-"
fmt = (lambda v: f"{v:,.1f}") if mine < 100 else (lambda v: f"{v:,.0f}")
print(f"| {what} | {fmt(mine)}{unit} | {fmt(ref)}{unit} | {ratio} | {goal} |")' "$@")"); }

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
echo "== seeding the bench village ($BALLOTS households) and $((2 * MOTIONS)) open motions"
seeded=$(taskset -c 1 "$load_bin" seed "sqlite://$work/minyi/minyi.sqlite3" "$BALLOTS" "$MOTIONS")

echo "== public pages"
declare -a pages=("/" "/v/taoyuan" "/v/taoyuan/notices" "/v/taoyuan/rounds" "/v/taoyuan/council")
for extra in /v/taoyuan/projects /v/taoyuan/funds; do
  curl -fs -o /dev/null "$base$extra" && pages+=("$extra")
done
declare -A results
for page in "${pages[@]}"; do
  results[$page]=$(rate "$base$page")
done

echo "== p99 of $P99_PAGE at half its maximum rate, idle and with 100 sign-ins/s"
half=$(( ${results[$P99_PAGE]:-200} / 2 ))
idle=$(taskset -c 1 "$load_bin" paced "$base$P99_PAGE" "$half" "$SECONDS_EACH")
taskset -c 1 "$load_bin" logins "$base" 100 "$SECONDS_EACH" >"$work/logins.txt" &
logins_pid=$!
busy=$(taskset -c 1 "$load_bin" paced "$base$P99_PAGE" "$half" "$SECONDS_EACH")
wait "$logins_pid" || true
logins=$(cat "$work/logins.txt")

echo "== ballots through the whole stack ($BALLOTS households, $CONNECTIONS at once)"
ballots=$(taskset -c 1 "$load_bin" ballots "$base" "$BALLOTS" "$CONNECTIONS")
echo "== council votes"
members=$(field members "$seeded")
sequential=$(taskset -c 1 "$load_bin" votes "$base" "$(field meeting "$seeded")" "$members" "$(field motions_a "$seeded")" 1)
parallel=$(taskset -c 1 "$load_bin" votes "$base" "$(field meeting "$seeded")" "$members" "$(field motions_b "$seeded")" 4)
peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$minyi_pid/status")
kill "$minyi_pid"; wait "$minyi_pid" 2>/dev/null || true

echo "== the tally of a $TALLY-ballot round"
tally_out=$(BENCH_HOUSEHOLDS=0 BENCH_TALLY_BALLOTS="$TALLY" taskset -c 0 "$collection_bin" --bench 2>/dev/null)
tally_s=$(sed -n 's/^tally of the closed round.*: \([0-9.]*\) s;.*/\1/p' <<<"$tally_out")
recount_s=$(sed -n 's/^straightforward recount.*: \([0-9.]*\) s$/\1/p' <<<"$tally_out")
close_s=$(sed -n 's/^close the round.*: \([0-9.]*\) s$/\1/p' <<<"$tally_out")

for page in "${pages[@]}"; do
  row "GET $page req/s (floor: Fortunes)" "${results[$page]}" "$floor_fortunes" "≥ 0.5"
done
row "ballots/s, preview + confirm (floor: INSERT at FULL; NORMAL $floor_normal/s)" "$(field rate "$ballots")" "$floor_full" "≥ 0.7"
row "council votes/s, one at a time (OpenSlides 3.3)" "$(field rate "$sequential")" 40.6 "≥ 100"
row "council votes/s, 4 at once (OpenSlides 3.3)" "$(field rate "$parallel")" 43.9 "≥ 100"
row "p99 ms of $P99_PAGE at $half req/s: with 100 sign-ins/s (idle)" "$(field p99_ms "$busy")" "$(field p99_ms "$idle")" "≤ 3" " ms"
row "tally of a closed $TALLY-ballot round, ms (goal: 250 ms)" "$(python3 -c "print(float('${tally_s:-0}') * 1000)")" 250 "≤ 1" " ms"
row "floor plaintext req/s" "$floor_plain" "$floor_plain" "-"

echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u +%F); server on core 0 (one worker), load on core 1, $CONNECTIONS connections, ${SECONDS_EACH}s each."
echo
echo "| what | Minyi | reference | ratio | goal |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "ballots: $ballots"
echo "votes one at a time: $sequential"
echo "votes 4 at once: $parallel"
echo "p99 idle: $idle"
echo "p99 with sign-ins: $busy"
echo "sign-ins at 100/s (ok = signed in, busy = asked to retry): $logins"
echo "tally: straightforward recount ${recount_s:-?} s; closing (counts once, stores them) ${close_s:-?} s; the closed round's tally read ${tally_s:-?} s"
echo "Minyi peak memory (VmHWM) after the runs above: $peak (bound: 64 MiB + 19 MiB per concurrent hash)"
