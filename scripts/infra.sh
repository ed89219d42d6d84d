#!/usr/bin/env bash
# Local stand-in for the containers Aspire would start: PostgreSQL 15 and Redis 7 from Debian's
# packages, on loopback, on free ports, with their data under one folder.
#
#   scripts/infra.sh install          install postgresql and redis-server when missing
#   scripts/infra.sh install-chromium install Debian's chromium when missing (the console's browser tests)
#   scripts/infra.sh install-wrk      install Debian's wrk when missing (the benchmark's HTTP load generator)
#   scripts/infra.sh start DIR        start both (installing first when needed) and print, as
#                                     KEY=VALUE lines, the connection strings Aspire would inject
#   scripts/infra.sh stop DIR         stop what `start DIR` started (by PID, never by name)
#   scripts/infra.sh status DIR       exit 0 when both are running
#   scripts/infra.sh redis-stop DIR   stop Redis only; redis-start DIR starts it again (same port, same data)
#   scripts/infra.sh sweep DIR        also kill the services LocalTopology recorded in DIR/pids (left by a
#                                     test host or run.sh that died), then stop
#   scripts/infra.sh destroy DIR      sweep, then delete DIR and PostgreSQL's data
#
# As root, PostgreSQL runs as the `postgres` user; its data then lives where that user can reach it.
set -euo pipefail

log() { echo "infra: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else log "need root to run: $*"; return 1
  fi
}

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

apt_install() {
  log "installing $* from Debian's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

install_packages() {
  local missing=()
  pg_bindir >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
}

# Playwright drives Debian's Chromium; its own browser download is never used (it fails offline).
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  apt_install chromium
}

install_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  apt_install wrk
}

# Below the kernel's ephemeral range, so an outgoing connection cannot hold the port by the time the
# server binds it; absent from /proc/net/tcp*, which also catches ports bound but not listening; and
# claimed for our caller, so that a topology starting at the same time cannot pick it too.
free_port() {
  local low=32768 high port
  read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt 12000 ] || low=60000
  for _ in $(seq 1 200); do
    port=$(( 10000 + RANDOM % (low - 10000) ))
    port_in_use "$port" || ! claim_port "$port" || { echo "$port"; return 0; }
  done
  log "no free port found"; return 1
}

# The claim AsyncJobs.LocalHost/PortReservation.cs makes: a file named after the port, created
# exclusively, holding the owner's PID (the process that started this script: the topology). A claim
# whose owner is gone is stale and taken over.
claim_port() {
  local dir="${TMPDIR:-/tmp}/asyncjobs-ports" owner
  mkdir -p "$dir"
  for _ in 1 2; do
    if (set -C; echo "$PPID" > "$dir/$1") 2>/dev/null; then return 0; fi
    owner=$(cat "$dir/$1" 2>/dev/null)
    if [ -n "$owner" ] && [ -d "/proc/$owner" ]; then return 1; fi
    rm -f "$dir/$1"
  done
  return 1
}

port_in_use() {
  local hex; hex=$(printf ':%04X' "$1")
  awk -v p="$hex" 'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

random_secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

# PostgreSQL refuses to run as root, and the postgres user must be able to reach its data folder.
pg_user_prefix() { if [ "$(id -u)" -eq 0 ]; then echo "runuser -u postgres --"; fi; }

pg_data_root() {
  local dir=$1
  if [ "$(id -u)" -ne 0 ]; then echo "$dir/postgres"; return; fi
  if runuser -u postgres -- test -w "$dir" 2>/dev/null || { chown postgres "$dir" 2>/dev/null && runuser -u postgres -- test -w "$dir"; }; then
    echo "$dir/postgres"
  else
    # e.g. a fresh clone under a mktemp folder (mode 700): keep PostgreSQL's data where postgres can reach it.
    local key; key=$(echo -n "$dir" | sha1sum | cut -c1-12)
    echo "/var/tmp/asyncjobs-postgres-$key"
  fi
}

start() {
  local dir=$1
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  install_packages
  local bin; bin=$(pg_bindir)
  local run; run=$(pg_user_prefix)
  local pgroot; pgroot=$(pg_data_root "$dir")

  if [ -f "$dir/infra.env" ] && status "$dir" >/dev/null 2>&1; then
    log "already running in $dir"; cat "$dir/infra.env"; return 0
  fi

  local pg_port redis_port pg_password redis_password
  if [ -f "$dir/secrets" ]; then . "$dir/secrets"; else
    pg_password=$(random_secret); redis_password=$(random_secret)
    printf 'pg_password=%s\nredis_password=%s\n' "$pg_password" "$redis_password" > "$dir/secrets"
    chmod 600 "$dir/secrets"
  fi
  pg_port=$(free_port); redis_port=$(free_port)
  while [ "$redis_port" = "$pg_port" ]; do redis_port=$(free_port); done

  mkdir -p "$pgroot"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pgroot"
  if [ ! -f "$pgroot/data/PG_VERSION" ]; then
    local pwfile="$pgroot/pwfile"
    echo "$pg_password" > "$pwfile"; [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
    $run "$bin/initdb" -D "$pgroot/data" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 \
      --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$pgroot/initdb.log" 2>&1 || { cat "$pgroot/initdb.log" >&2; return 1; }
    rm -f "$pwfile"
  fi
  mkdir -p "$pgroot/socket"; [ "$(id -u)" -eq 0 ] && chown postgres "$pgroot/socket"
  $run "$bin/pg_ctl" -D "$pgroot/data" -l "$pgroot/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pgroot/socket -c max_connections=400 -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements" \
    start >&2 || { tail -n 20 "$pgroot/postgres.log" >&2; return 1; }
  PGPASSWORD=$pg_password "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'jobsdb'" | grep -q 1 ||
    PGPASSWORD=$pg_password "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres jobsdb
  # Statements per job in the benchmark come from PostgreSQL's own statistics.
  PGPASSWORD=$pg_password "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d jobsdb -qtAc \
    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null

  run_redis "$dir" "$redis_port" "$redis_password"

  cat > "$dir/infra.env" <<EOF
ConnectionStrings__jobsdb=Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jobsdb
ConnectionStrings__redis=127.0.0.1:$redis_port,password=$redis_password
JOBSDB_HOST=127.0.0.1
JOBSDB_PORT=$pg_port
PGDATA_DIR=$pgroot/data
REDIS_PORT=$redis_port
EOF
  chmod 600 "$dir/infra.env"
  log "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
  cat "$dir/infra.env"
}

run_redis() {
  local dir=$1 port=$2 password=$3
  mkdir -p "$dir/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir/redis" --appendonly yes \
    --requirepass "$password" --daemonize yes --pidfile "$dir/redis/redis.pid" \
    --logfile "$dir/redis/redis.log" --save "" >&2
  for _ in $(seq 1 100); do
    redis-cli -p "$port" -a "$password" --no-auth-warning ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  log "Redis did not answer on port $port"; return 1
}

# For failure tests: stop Redis, and start it again on the same port with the same data (append-only file).
redis_stop() {
  local dir=$1 pid
  [ -f "$dir/redis/redis.pid" ] || return 0
  pid=$(cat "$dir/redis/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  log "Redis stopped ($dir)"
}

redis_start() {
  local dir=$1 redis_password
  redis_password=$(grep '^redis_password=' "$dir/secrets" | cut -d= -f2-)
  run_redis "$dir" "$(env_value "$dir" REDIS_PORT)" "$redis_password"
  log "Redis started ($dir)"
}

env_value() { grep "^$2=" "$1/infra.env" | head -n 1 | cut -d= -f2-; }

stop() {
  local dir=$1
  [ -f "$dir/infra.env" ] || return 0
  local bin; bin=$(pg_bindir)
  local run; run=$(pg_user_prefix)
  local pgdata; pgdata=$(env_value "$dir" PGDATA_DIR)
  if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
    $run "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >&2 || true
  fi
  if [ -f "$dir/redis/redis.pid" ]; then
    local pid; pid=$(cat "$dir/redis/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  log "stopped ($dir)"
}

# Only PIDs that still run an AsyncJobs assembly: a recycled PID belongs to someone else.
stop_services() {
  local dir=$1 file pid
  for file in "$dir"/pids/*.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'AsyncJobs\.'; then
      log "killing leftover service $(basename "$file" .pid) (pid $pid)"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

sweep() { stop_services "$1"; stop "$1"; }

destroy() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  local pgdata=""
  [ -f "$dir/infra.env" ] && pgdata=$(env_value "$dir" PGDATA_DIR)
  sweep "$dir"
  case "$pgdata" in
    /var/tmp/asyncjobs-postgres-*/data) rm -rf "$(dirname "$pgdata")" ;;
  esac
  rm -rf "$dir"
}

status() {
  local dir=$1
  local pgdata; pgdata=$(env_value "$dir" PGDATA_DIR)
  [ -f "$pgdata/postmaster.pid" ] && kill -0 "$(head -n 1 "$pgdata/postmaster.pid")" 2>/dev/null &&
    [ -f "$dir/redis/redis.pid" ] && kill -0 "$(cat "$dir/redis/redis.pid")" 2>/dev/null
}

case "${1:-}" in
  install) install_packages ;;
  install-chromium) install_chromium ;;
  install-wrk) install_wrk ;;
  start) start "${2:?usage: infra.sh start DIR}" ;;
  stop) stop "${2:?usage: infra.sh stop DIR}" ;;
  status) status "${2:?usage: infra.sh status DIR}" ;;
  sweep) sweep "${2:?usage: infra.sh sweep DIR}" ;;
  destroy) destroy "${2:?usage: infra.sh destroy DIR}" ;;
  redis-stop) redis_stop "${2:?usage: infra.sh redis-stop DIR}" ;;
  redis-start) redis_start "${2:?usage: infra.sh redis-start DIR}" ;;
  *) echo "usage: infra.sh install | install-chromium | install-wrk | start DIR | stop DIR | status DIR | sweep DIR | destroy DIR | redis-stop DIR | redis-start DIR" >&2; exit 2 ;;
esac
