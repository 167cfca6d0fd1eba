#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks.
#   scripts/pg.sh start   -> prints DATABASE_URL on stdout (server on 127.0.0.1:$PGPORT, data in var/pg)
#   scripts/pg.sh stop
# PostgreSQL refuses to run as root, so as root the cluster belongs to the image's `postgres` user.
# Installs the server with apt when the binaries are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT="${PGPORT:-54329}"
PGDATA_DIR="${PGDATA_DIR:-$PWD/var/pg}"
SOCK="${PGDATA_DIR}.sock"

find_bin() {
  for d in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
    [ -x "$d/$1" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_installed() {
  if ! find_bin initdb >/dev/null; then
    echo "installing postgresql with apt ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  fi
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    ensure_installed
    BIN="$(find_bin initdb)"
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$PGDATA_DIR" "$SOCK"
    mkdir -p "$PGDATA_DIR" "$SOCK"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR" "$SOCK"
    as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U civicloop --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/server.log" start \
      -o "-p $PGPORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c synchronous_commit=${PG_SYNC_COMMIT:-off} -c full_page_writes=off -c max_connections=200 -c shared_buffers=${PG_SHARED_BUFFERS:-256MB} -c random_page_cost=${PG_RANDOM_PAGE_COST:-4}" >/dev/null
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U civicloop civicloop
    echo "postgres://civicloop@127.0.0.1:$PGPORT/civicloop"
    ;;
  stop)
    BIN="$(find_bin pg_ctl || true)"
    if [ -n "$BIN" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then
      as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null || true
    fi
    rm -rf "$PGDATA_DIR" "$SOCK"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
