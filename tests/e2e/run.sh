#!/usr/bin/env bash
# Browser suite: starts a minyi server on a free port with a fresh data dir (the demo township is
# seeded on first start), then runs tests/e2e/*.test.mjs with node's test runner and
# playwright-core driving the system Chromium.
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

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/minyi-e2e.XXXXXX")"
LOG="$DATA_DIR/server.log"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
IDLE_SECS=6
SERVER_PID=""

cleanup() {
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

export MINYI_E2E_URL="http://127.0.0.1:$PORT"
export MINYI_E2E_DATA_DIR="$DATA_DIR"
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
