#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis on 127.0.0.1 for the sample app's local contract test (and CI).
#
#   scripts/start-local-services.sh start [DIR]   start both; print the app's env contract as KEY=VALUE
#                                                 lines on stdout and write them to DIR/env (DIR: new
#                                                 or empty; default a fresh /tmp/backplane-local-*)
#   scripts/start-local-services.sh stop DIR      stop both (by the pids recorded in DIR) and remove DIR
#
# Ports are free loopback ports unless PG_PORT / REDIS_PORT are set. Both servers require a password
# (scram-sha-256 for Postgres, requirepass for Redis), so the app must use DATABASE_PASSWORD and
# REDIS_AUTH_TOKEN the way it will in AWS. No TLS locally: DATABASE_SSL=disable, REDIS_URL=redis://.
# Needs: initdb, pg_ctl, postgres, psql (PostgreSQL >= 13), redis-server, redis-cli, node.
# In CI: `apt-get install -y redis-server` if absent.
set -euo pipefail

die() { echo "start-local-services: $*" >&2; exit 1; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

random_secret() { node -e "console.log(require('crypto').randomBytes(18).toString('hex'))"; }

# Postgres refuses to run as root: drop to the `postgres` user (or nobody) when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

pg_bin() {
  local name=$1
  if [ -n "${PG_BIN_DIR:-}" ]; then echo "$PG_BIN_DIR/$name"; return; fi
  local found
  found=$(command -v "$name" || true)
  if [ -z "$found" ]; then
    found=$(printf '%s\n' /usr/lib/postgresql/*/bin/"$name" | grep -v '\*' | sort -V | tail -n1 || true)
  fi
  [ -n "$found" ] || die "missing PostgreSQL binary '$name' (install postgresql or set PG_BIN_DIR)"
  echo "$found"
}

start() {
  local dir=${1:-}
  if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/backplane-local-XXXXXX); fi
  # stop removes the directory, so it must be one that holds nothing else.
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then die "start: '$dir' must be a new or empty directory"; fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  touch "$dir/.backplane-local-services"
  # On any failure below, stop whatever did start and remove the directory ($dir expands now, on purpose).
  # shellcheck disable=SC2064
  trap "stop '$dir' >/dev/null 2>&1 || true" EXIT

  command -v redis-server >/dev/null || die "missing redis-server (apt-get install -y redis-server)"
  command -v redis-cli >/dev/null || die "missing redis-cli (apt-get install -y redis-tools)"
  local initdb pg_ctl psql
  initdb=$(pg_bin initdb); pg_ctl=$(pg_bin pg_ctl); psql=$(pg_bin psql)

  PG_OS_USER=postgres
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then PG_OS_USER=nobody; fi

  local pg_port=${PG_PORT:-$(free_port)}
  local redis_port=${REDIS_PORT:-$(free_port)}
  local db_password redis_token
  db_password=$(random_secret)
  redis_token=$(random_secret)

  # ---- PostgreSQL -------------------------------------------------------------------------------
  mkdir -p "$dir/pg" "$dir/pgsock"
  [ "$(id -u)" = 0 ] && chown "$PG_OS_USER" "$dir/pg" "$dir/pgsock" && chmod 755 "$dir"
  as_pg "$initdb" -D "$dir/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  as_pg "$pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$dir/pgsock -c fsync=off" \
    >/dev/null || { cat "$dir/pg/postgres.log" >&2; die "postgres did not start on 127.0.0.1:$pg_port"; }
  head -n1 "$dir/pg/data/postmaster.pid" >"$dir/postgres.pid"
  # `app` stands in for the RDS master user: not a superuser, with CREATEROLE and CREATEDB (RDS User Guide, "Master
  # user account privileges": the PostgreSQL master user gets CREATEROLE and CREATEDB through rds_superuser), which
  # a preview stage's migration uses to create its own database on the parent's instance.
  as_pg "$psql" -h "$dir/pgsock" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE app LOGIN CREATEROLE CREATEDB PASSWORD '$db_password'" -c "CREATE DATABASE app OWNER app" >/dev/null \
    || die "could not create role/database app"

  # ---- Redis -----------------------------------------------------------------------------------
  redis-server --bind 127.0.0.1 --port "$redis_port" --requirepass "$redis_token" \
    --daemonize yes --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" \
    --save '' --appendonly no >/dev/null
  local i
  for i in $(seq 1 100); do
    if REDISCLI_AUTH=$redis_token redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
      break
    fi
    [ "$i" = 100 ] && { cat "$dir/redis.log" >&2; die "redis did not start on 127.0.0.1:$redis_port"; }
    sleep 0.1
  done

  cat >"$dir/env" <<EOF
DATABASE_HOST=127.0.0.1
DATABASE_PORT=$pg_port
DATABASE_NAME=app
DATABASE_USER=app
DATABASE_PASSWORD=$db_password
DATABASE_SSL=disable
REDIS_URL=redis://127.0.0.1:$redis_port
REDIS_AUTH_TOKEN=$redis_token
LOCAL_SERVICES_DIR=$dir
EOF
  chmod 600 "$dir/env"
  trap - EXIT
  cat "$dir/env"
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -f "$dir/.backplane-local-services" ]; then
    die "stop: '$dir' is not a directory made by start"
  fi
  local pid
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$dir/postgres.pid" ]; then
    pid=$(cat "$dir/postgres.pid")
    kill -INT "$pid" 2>/dev/null || true # "fast" shutdown, see the postgres docs (Shutting Down the Server)
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2 ;;
esac
