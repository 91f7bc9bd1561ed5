#!/usr/bin/env bash
# Print `export` lines for the PostgreSQL and Redis that the tests use: the machine's own when they
# answer on 127.0.0.1, otherwise private ones started here under var/ (loopback only).
# Usage: eval "$(scripts/services.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
VAR="$PWD/var"
mkdir -p "$VAR"

pg_url=""
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  pg_url="postgres://postgres@127.0.0.1:5432/charter"
else
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  PORT=55432
  DATA="$VAR/pg"
  if ! pg_isready -q -h 127.0.0.1 -p $PORT 2>/dev/null; then
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"; chown -R postgres "$DATA" 2>/dev/null || true
      su postgres -s /bin/sh -c "$PGBIN/initdb -A trust -U postgres --no-sync -D '$DATA'" >/dev/null
    fi
    su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$DATA' -l '$DATA/log' -w -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >/dev/null
  fi
  pg_url="postgres://postgres@127.0.0.1:$PORT/charter"
fi

redis_url=""
if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  redis_url="redis://127.0.0.1:6379/0"
else
  PORT=56379
  if ! redis-cli -h 127.0.0.1 -p $PORT ping 2>/dev/null | grep -q PONG; then
    redis-server --bind 127.0.0.1 --port $PORT --save "" --appendonly no --daemonize yes --dir "$VAR" --logfile "$VAR/redis.log" >/dev/null
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p $PORT ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  fi
  redis_url="redis://127.0.0.1:$PORT/0"
fi

echo "export DATABASE_URL='$pg_url'"
echo "export TEST_REDIS_URL='$redis_url'"
