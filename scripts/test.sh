#!/usr/bin/env bash
# The whole suite: ruff, then pytest on SQLite, then pytest on a throwaway PostgreSQL server.
# Installs what the browser tests need (Debian's chromium and a CJK font) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then
  echo "== installing chromium and a CJK font (apt)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

echo "== ruff"
$BIN/ruff check src tests

# The two runs side by side (the machine has two cores; one after the other took ~45 minutes): each writes its own
# log, printed whole when both have ended; a line a minute says they are still going.
trap 'scripts/pg.sh stop; [ -n "${beat:-}" ] && kill "$beat" 2>/dev/null || true' EXIT
PG_URL="$(scripts/pg.sh start)"
logs="$(mktemp -d)"
echo "== pytest on SQLite and on PostgreSQL, side by side (logs: $logs)"
env -u DATABASE_URL $BIN/pytest -q --durations=25 "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
# The schema-driven API runs (tests/test_openapi.py) exercise the API layer, the same on both databases: the
# PostgreSQL run draws 10 examples per operation instead of 25, the rest of the suite whole (it ran ~15 of CI's 60
# minutes there).
DATABASE_URL="$PG_URL" SCHEMATHESIS_EXAMPLES="${SCHEMATHESIS_EXAMPLES_PG:-10}" \
  $BIN/pytest -q --durations=25 "$@" >"$logs/postgresql.log" 2>&1 &
pg_pid=$!
( while sleep 60; do echo "   … $(date +%H:%M) still running: SQLite $(tail -c 80 "$logs/sqlite.log" | tr -d '\n' | grep -o '\[ *[0-9]*%\]' | tail -1), PostgreSQL $(tail -c 80 "$logs/postgresql.log" | tr -d '\n' | grep -o '\[ *[0-9]*%\]' | tail -1)"; done ) &
beat=$!
sqlite_rc=0; wait "$sqlite_pid" || sqlite_rc=$?
pg_rc=0; wait "$pg_pid" || pg_rc=$?
kill "$beat" 2>/dev/null || true
echo "== pytest on SQLite"
cat "$logs/sqlite.log"
echo "== pytest on PostgreSQL"
cat "$logs/postgresql.log"
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
