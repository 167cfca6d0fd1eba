#!/usr/bin/env bash
# Several app servers on this machine's loopback (issue 20; `civicloop cluster up|down|status` runs this):
#   PostgreSQL primary :54395 + streaming replica :54396 (pg_basebackup -R; both run as the `postgres` user)
#   Redis :6395 (cache shared by the app servers, the task queue)
#   N gunicorn app servers :8811.. (CLUSTER_APPS, default 3) behind HAProxy :8795 (stats :8796), health: /healthz
#   CLUSTER_WORKERS RQ task workers (default 2, django-tasks' RQ backend, the same task code), one scheduler
#   (`civicloop scheduler`: its slot lock in Redis lets more run without a double enqueue)
# Installs postgresql, haproxy and redis-server with apt when missing (as scripts/pg.sh does for postgresql).
#   scripts/cluster.sh up | down | status | env | app-start I | app-stop I | worker-start I | replica-stop |
#                      replica-start | promote
# Everything lives in var/cluster (CLUSTER_DIR); `down` stops what `up` started (by the pid files) and removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
PY="${CIVICLOOP_PY:-$ROOT/.venv/bin/python}"
PG1="${CLUSTER_PG_PRIMARY_PORT:-54395}"
PG2="${CLUSTER_PG_REPLICA_PORT:-54396}"
REDIS_PORT="${CLUSTER_REDIS_PORT:-6395}"
HAPROXY_PORT="${CLUSTER_PORT:-8795}"
STATS_PORT="${CLUSTER_STATS_PORT:-8796}"
APP_BASE="${CLUSTER_APP_BASE_PORT:-8811}"
APPS="${CLUSTER_APPS:-3}"
APP_THREADS="${CLUSTER_APP_THREADS:-4}"
WORKERS="${CLUSTER_WORKERS:-2}"
RUN="$DIR/run"
LOG="$DIR/log"

find_pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_basebackup" ] && { echo "$d"; return 0; }; done
  return 1
}

ensure_installed() {
  local missing=()
  find_pg_bin >/dev/null || missing+=(postgresql)
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing ${missing[*]} with apt" >&2
    # policy-rc.d 101: the packages' own system services are not started (ours run on other ports, from var/)
    local policy=/usr/sbin/policy-rc.d created=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) >&2
    [ "$created" = 1 ] && rm -f "$policy"
  fi
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_opts() {  # $1 port, $2 socket dir
  echo "-p $1 -k $2 -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=${PG_SHARED_BUFFERS:-256MB}" \
       "-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=512MB -c hot_standby=on -c hot_standby_feedback=on" \
       "-c fsync=${PG_FSYNC:-on} -c synchronous_commit=${PG_SYNC_COMMIT:-on} -c jit=off"
}

env_file() {
  cat <<EOF
export DATABASE_URL=postgres://civicloop@127.0.0.1:$PG1/civicloop
export DATABASE_REPLICA_URL=postgres://civicloop@127.0.0.1:$PG2/civicloop
export CIVICLOOP_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export CIVICLOOP_TASKS_BACKEND=django_tasks_rq.RQBackend
export CIVICLOOP_PROXY_COUNT=1
export CIVICLOOP_HOME=$ROOT
export CIVICLOOP_VAR=$DIR/var
export CIVICLOOP_CLUSTER_URL=http://127.0.0.1:$HAPROXY_PORT
export CIVICLOOP_CLUSTER_DIR=$DIR
export CIVICLOOP_RATE_LIMIT_SCALE=${CIVICLOOP_RATE_LIMIT_SCALE:-50}
export DJANGO_SETTINGS_MODULE=civicloop.settings
EOF
}

http_ok() {  # $1 URL: answers 2xx within 2 s (Python, not curl: a fresh Debian may not have curl)
  "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pidfile() {  # $1 pid file, $2 signal (default TERM); waits up to 15 s, then KILL
  local f="$1" sig="${2:-TERM}" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

app_start() {  # $1 index (1..N)
  local i="$1" port=$((APP_BASE + $1 - 1))
  # shellcheck disable=SC1091
  source "$DIR/env"
  "$PY" -m gunicorn civicloop.wsgi:application --bind "127.0.0.1:$port" --workers 1 --threads "$APP_THREADS" \
    --worker-class gthread --graceful-timeout 10 --daemon --pid "$RUN/app$i.pid" \
    --error-logfile "$LOG/app$i.log" --logger-class civicloop.core.log_masking.GunicornLogger
  local deadline=$((SECONDS + ${CLUSTER_START_TIMEOUT:-300}))  # a loaded host took 165 s to boot three
  while [ "$SECONDS" -lt "$deadline" ]; do
    http_ok "http://127.0.0.1:$port/healthz" && return 0; sleep 0.5
  done
  echo "app server $i did not answer /healthz (log: $LOG/app$i.log)" >&2; return 1
}

worker_start() {  # $1 index
  # shellcheck disable=SC1091
  source "$DIR/env"
  setsid "$PY" -m civicloop rqworker default --job-class django_tasks_rq.Job --name "w$1-$$-$RANDOM" \
    --worker-class civicloop.core.rq.Worker --with-scheduler >"$LOG/worker$1.log" 2>&1 </dev/null &
  echo $! >"$RUN/worker$1.pid"
}

haproxy_config() {
  cat <<EOF
global
    maxconn 2000
    pidfile $RUN/haproxy.pid
    stats socket $RUN/haproxy.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 2s
    # a connection an app server refused (it is down) is tried on another: nothing was sent, so nothing is
    # repeated. A request sent to a server that dies before answering is not retried here (it may have written):
    # the client repeats it with the same idempotency key (Open311 token, 12345 work order number).
    retries 3
    option redispatch
    option forwardfor
frontend web
    bind 127.0.0.1:$HAPROXY_PORT
    default_backend app
backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
EOF
  for i in $(seq 1 "$APPS"); do echo "    server app$i 127.0.0.1:$((APP_BASE + i - 1)) check"; done
  cat <<EOF
listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /
    stats refresh 5s
EOF
}

up() {
  ensure_installed
  local BIN; BIN="$(find_pg_bin)"
  down_quiet
  mkdir -p "$DIR" "$RUN" "$LOG" "$DIR/redis" "$DIR/var"
  env_file >"$DIR/env"
  # shellcheck disable=SC1091
  source "$DIR/env"
  for d in pg1 pg2 pg1.sock pg2.sock; do mkdir -p "$DIR/$d"; done
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"/pg1 "$DIR"/pg2 "$DIR"/pg1.sock "$DIR"/pg2.sock && chmod 700 "$DIR/pg1" "$DIR/pg2"
  local t0=$SECONDS
  echo "== PostgreSQL primary :$PG1"
  as_pg "$BIN/initdb" -D "$DIR/pg1" -U civicloop --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # shellcheck disable=SC2046
  as_pg "$BIN/pg_ctl" -D "$DIR/pg1" -w -l "$DIR/pg1/server.log" start -o "$(pg_opts "$PG1" "$DIR/pg1.sock")" >/dev/null
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PG1" -U civicloop civicloop
  echo "== PostgreSQL replica :$PG2 (pg_basebackup -R, streaming)"
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PG1" -U civicloop -D "$DIR/pg2" -R -X stream -c fast
  as_pg "$BIN/pg_ctl" -D "$DIR/pg2" -w -l "$DIR/pg2/server.log" start -o "$(pg_opts "$PG2" "$DIR/pg2.sock")" >/dev/null
  echo "== Redis :$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$DIR/redis" --appendonly yes \
    --appendfsync everysec --pidfile "$RUN/redis.pid" --logfile "$LOG/redis.log" --save ""
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== migrate, collectstatic ($((SECONDS - t0)) s)"
  "$PY" -m civicloop migrate -v0
  "$PY" -m civicloop collectstatic --noinput -v0
  if [ -n "${CLUSTER_DEMO_SCALE:-}" ]; then
    echo "== demo data (scale $CLUSTER_DEMO_SCALE)"
    "$PY" -m civicloop demo --preset xuhui --scale "$CLUSTER_DEMO_SCALE" --seed 1
  fi
  echo "== $APPS app servers :$APP_BASE.. behind HAProxy :$HAPROXY_PORT ($((SECONDS - t0)) s)"
  for i in $(seq 1 "$APPS"); do app_start "$i" & done
  wait  # each waits for its /healthz
  haproxy_config >"$DIR/haproxy.cfg"
  haproxy -c -q -f "$DIR/haproxy.cfg"
  haproxy -D -f "$DIR/haproxy.cfg"
  echo "== $WORKERS task workers (RQ), one scheduler"
  for i in $(seq 1 "$WORKERS"); do worker_start "$i"; done
  setsid "$PY" -m civicloop scheduler >"$LOG/scheduler.log" 2>&1 </dev/null &
  echo $! >"$RUN/scheduler.pid"
  for _ in $(seq 1 50); do http_ok "http://127.0.0.1:$HAPROXY_PORT/healthz" && break; sleep 0.2; done
  echo "civicloop cluster: up in $((SECONDS - t0)) s — http://127.0.0.1:$HAPROXY_PORT/  (HAProxy stats http://127.0.0.1:$STATS_PORT/; env: $DIR/env)"
}

down_quiet() {
  local BIN; BIN="$(find_pg_bin || true)"
  stop_pidfile "$RUN/haproxy.pid" USR1  # soft stop
  # all at once (each waits up to 15 s for its own process)
  for f in "$RUN"/app*.pid "$RUN"/worker*.pid "$RUN"/scheduler*.pid; do [ -e "$f" ] && stop_pidfile "$f" & done
  wait
  stop_pidfile "$RUN/redis.pid"
  for d in pg2 pg1; do
    if [ -n "$BIN" ] && [ -f "$DIR/$d/postmaster.pid" ]; then
      as_pg "$BIN/pg_ctl" -D "$DIR/$d" -m fast stop >/dev/null 2>&1 || as_pg "$BIN/pg_ctl" -D "$DIR/$d" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$DIR"
}

status() {
  [ -f "$DIR/env" ] || { echo "no cluster (scripts/cluster.sh up)"; return 1; }
  local BIN; BIN="$(find_pg_bin)"
  for d in pg1:$PG1 pg2:$PG2; do
    local name="${d%%:*}" port="${d##*:}" role
    if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
      role="$(as_pg "$BIN/psql" -XAtq -h 127.0.0.1 -p "$port" -U civicloop -d civicloop -c "select case when pg_is_in_recovery() then 'replica' else 'primary' end" 2>/dev/null || echo '?')"
      echo "postgres $name :$port up ($role)"
    else echo "postgres $name :$port DOWN"; fi
  done
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then echo "redis :$REDIS_PORT up"; else echo "redis :$REDIS_PORT DOWN"; fi
  if alive "$RUN/haproxy.pid"; then echo "haproxy :$HAPROXY_PORT up"; else echo "haproxy :$HAPROXY_PORT DOWN"; fi
  for i in $(seq 1 "$APPS"); do
    local port=$((APP_BASE + i - 1))
    if http_ok "http://127.0.0.1:$port/healthz"; then echo "app$i :$port up"; else echo "app$i :$port DOWN"; fi
  done
  for f in "$RUN"/worker*.pid "$RUN"/scheduler.pid; do
    [ -e "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid) up (pid $(cat "$f"))"; else echo "$(basename "$f" .pid) DOWN"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down_quiet; echo "civicloop cluster: stopped" ;;
  status) status ;;
  env) env_file ;;
  app-start) app_start "$2" ;;
  app-stop) stop_pidfile "$RUN/app$2.pid" "${3:-TERM}" ;;
  worker-start) worker_start "$2" ;;
  replica-stop) as_pg "$(find_pg_bin)/pg_ctl" -D "$DIR/pg2" -m fast stop >/dev/null ;;
  replica-start) as_pg "$(find_pg_bin)/pg_ctl" -D "$DIR/pg2" -w -l "$DIR/pg2/server.log" start -o "$(pg_opts "$PG2" "$DIR/pg2.sock")" >/dev/null ;;
  primary-stop) as_pg "$(find_pg_bin)/pg_ctl" -D "$DIR/pg1" -m fast stop >/dev/null ;;
  # Manual promotion (docs/scaling.md "Failover"): after the primary is stopped, the replica becomes the primary;
  # the app servers are then pointed at it (DATABASE_URL=…:$PG2) and restarted.
  promote) as_pg "$(find_pg_bin)/pg_ctl" -D "$DIR/pg2" -w promote >/dev/null ;;
  *) echo "usage: $0 up|down|status|env|app-start I|app-stop I [SIG]|worker-start I|replica-stop|replica-start|primary-stop|promote" >&2; exit 2 ;;
esac
