#!/usr/bin/env bash
# Runs every race test of the integration suite (tests named `race_…`) many times and prints
# what each found: `RACE <name>: runs=N late=K …`. Every count other than runs must be 0.
#   bash scripts/races.sh            # 100 runs each on SQLite
#   bash scripts/races.sh 20         # 20 runs each
#   MINYI_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/races.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
log=$(mktemp /tmp/minyi-races.XXXXXX)
backend=${MINYI_TEST_DATABASE_URL:+PostgreSQL}
echo "race tests, $runs runs each, on ${backend:-SQLite} (full log: $log)"
status=0
MINYI_RACE_RUNS=$runs cargo test --quiet --test api race_ -- --nocapture --test-threads=1 >"$log" 2>&1 || status=$?
grep -o 'RACE .*' "$log" || echo "no RACE lines: see $log"
grep -E '^test result:' "$log" || true
exit $status
