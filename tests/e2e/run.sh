#!/usr/bin/env bash
# Browser suite: starts a minyi server on a free port with a fresh data dir (the demo township is
# seeded on first start), then runs tests/e2e/*.test.mjs with node's test runner and
# playwright-core driving the system Chromium. A second server on the same data dir runs nine
# days ahead under libfaketime (MINYI_E2E_LATER_URL), so a test can let a 7-day notice period
# end within one run (several servers on one SQLite file are supported).
#
#   bash tests/e2e/run.sh [path-to-minyi-binary]     (default: target/debug/minyi)
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"
cd "$ROOT"

BIN="${1:-target/debug/minyi}"
[[ "$BIN" == /* ]] || BIN="$ROOT/$BIN"
if [[ ! -x "$BIN" ]]; then
  echo "e2e: no minyi binary at $BIN (build it first: cargo build)" >&2
  exit 2
fi
export MINYI_E2E_CHROMIUM="${MINYI_E2E_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$MINYI_E2E_CHROMIUM" ]]; then
  echo "e2e: no Chromium at $MINYI_E2E_CHROMIUM (apt-get install chromium, or set MINYI_E2E_CHROMIUM)" >&2
  exit 2
fi

if [[ ! -d "$E2E_DIR/node_modules/playwright-core" || ! -d "$E2E_DIR/node_modules/axe-core" ]]; then
  if [[ -f "$E2E_DIR/package-lock.json" ]]; then
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund)
  else
    (cd "$E2E_DIR" && npm install --no-audit --no-fund)
  fi
fi

# libfaketime, preloaded into the later server only (apt-get install faketime; CI installs it).
FAKETIME_LIB="${MINYI_E2E_FAKETIME_LIB:-}"
if [[ -z "$FAKETIME_LIB" ]]; then
  for candidate in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
    [[ -e "$candidate" ]] && FAKETIME_LIB="$candidate" && break
  done
fi
if [[ -z "$FAKETIME_LIB" || ! -e "$FAKETIME_LIB" ]]; then
  echo "e2e: libfaketime not found (apt-get install faketime, or set MINYI_E2E_FAKETIME_LIB): the projects test needs a server nine days ahead" >&2
  exit 2
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/minyi-e2e.XXXXXX")"
LOG="$DATA_DIR/server.log"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
IDLE_SECS=6
SERVER_PID=""
LATER_PID=""
LATER_LOG="$DATA_DIR/server-later.log"
LATER_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  if [[ -n "$LATER_PID" ]] && kill -0 "$LATER_PID" 2>/dev/null; then
    kill "$LATER_PID" 2>/dev/null || true
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${MINYI_E2E_KEEP:-}" == "1" ]]; then
    echo "e2e: kept data dir $DATA_DIR"
  else
    rm -rf "$DATA_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "e2e: starting $BIN on 127.0.0.1:$PORT (data in $DATA_DIR)"
"$BIN" --data-dir "$DATA_DIR" --bind "127.0.0.1:$PORT" --kiosk-idle-secs "$IDLE_SECS" --kiosk-form-secs "$IDLE_SECS" >"$LOG" 2>&1 &
SERVER_PID=$!

START_TIME=$SECONDS
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server exited before it was ready; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  if (( SECONDS - START_TIME > 120 )); then
    echo "e2e: the server was not ready after 120 s; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
echo "e2e: server ready after $(( SECONDS - START_TIME )) s"

# The same township nine days later: started after the demo is seeded, on the same data dir.
# Preloaded directly (not through the faketime wrapper) so $! is the server itself; monotonic
# clocks stay real so timers and pools behave.
LD_PRELOAD="$FAKETIME_LIB" FAKETIME="+9d" FAKETIME_DONT_FAKE_MONOTONIC=1 \
  "$BIN" --data-dir "$DATA_DIR" --bind "127.0.0.1:$LATER_PORT" --kiosk-idle-secs "$IDLE_SECS" --kiosk-form-secs "$IDLE_SECS" >"$LATER_LOG" 2>&1 &
LATER_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$LATER_PORT/"; do
  if ! kill -0 "$LATER_PID" 2>/dev/null || (( SECONDS - START_TIME > 180 )); then
    echo "e2e: the later (faketime +9d) server did not start; its log:" >&2
    cat "$LATER_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
LATER_DATE="$(curl -sI "http://127.0.0.1:$LATER_PORT/" | tr -d '\r' | sed -n 's/^[Dd]ate: //p')"
if [[ "$(date -u -d "$LATER_DATE" +%s)" -lt "$(( $(date -u +%s) + 8 * 86400 ))" ]]; then
  echo "e2e: the later server's clock reads \"$LATER_DATE\": libfaketime did not shift it" >&2
  exit 1
fi
echo "e2e: later server (clock $LATER_DATE) on 127.0.0.1:$LATER_PORT"

export MINYI_E2E_URL="http://127.0.0.1:$PORT"
export MINYI_E2E_DATA_DIR="$DATA_DIR"
export MINYI_E2E_LATER_URL="http://127.0.0.1:$LATER_PORT"
export MINYI_E2E_KIOSK_IDLE_SECS="$IDLE_SECS"
mkdir -p "$E2E_DIR/artifacts"

set +e
node --test --test-concurrency=1 "$E2E_DIR"/*.test.mjs
STATUS=$?
set -e
if (( STATUS != 0 )); then
  echo "e2e: FAILED (screenshots in tests/e2e/artifacts/); last lines of the server log:" >&2
  tail -n 40 "$LOG" >&2
fi
exit "$STATUS"
