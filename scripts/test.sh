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

echo "== pytest on SQLite"
env -u DATABASE_URL $BIN/pytest -q "$@"

echo "== pytest on PostgreSQL"
trap 'scripts/pg.sh stop' EXIT
DATABASE_URL="$(scripts/pg.sh start)"
DATABASE_URL="$DATABASE_URL" $BIN/pytest -q "$@"
