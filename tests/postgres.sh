#!/usr/bin/env bash
# A throw-away PostgreSQL cluster (on 127.0.0.1 and a socket in its folder) for the production-path
# tests; SAPA_PG_URL names the socket.
#   source tests/postgres.sh; pg_start; ... "$SAPA_PG_URL" ...; pg_stop
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" postgresql
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

pg_start() {
  PG_BIN=$(pg_bin)
  PG_PORT=${SAPA_PG_PORT:-55432}
  PG_DIR=$(mktemp -d /tmp/sapa-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
    PG_USER=postgres
  else
    PG_AS=()
    PG_USER=$(id -un)
  fi
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -F" >/dev/null
  "${PG_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" sapa
  # Through the server's socket, not TCP: a test run asks some 590,000 queries, and each round
  # trip over the loopback cost the client and the server more system time.
  export SAPA_PG_URL="postgres://$PG_USER@${PG_DIR//\//%2F}:$PG_PORT/sapa"
  export PG_DIR PG_BIN
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT and $PG_DIR"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
