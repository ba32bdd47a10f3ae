#!/bin/sh
# Start a throw-away PostgreSQL server for the test suite and print the URL to export as
# TRUSTFUND_TEST_PG_URL, e.g.   export TRUSTFUND_TEST_PG_URL="$(.ci/postgres.sh)"
#
# Installs Debian's postgresql when missing, then runs its own cluster (own data folder, own port,
# 127.0.0.1 only) as the postgres user, so it neither needs nor disturbs the distribution's
# "main" cluster. Messages go to standard error; standard output carries only the URL.
set -eu

PORT="${TRUSTFUND_PG_PORT:-54329}"
DATA="${TRUSTFUND_PG_DATA:-/tmp/trustfund-pg-$PORT}"
ROLE="${TRUSTFUND_PG_ROLE:-trustfund}"
PASSWORD="${TRUSTFUND_PG_PASSWORD:-trustfund-ci}"

say() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# The server refuses to run as root: use the postgres account when we are root.
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    as_pg() { runuser -u postgres -- "$@"; }
    mkdir -p "$DATA"
    chown postgres "$DATA"
else
    as_pg() { "$@"; }
    mkdir -p "$DATA"
fi
chmod 700 "$DATA"

if [ ! -f "$DATA/PG_VERSION" ]; then
    say "creating a cluster in $DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >&2
    # a test server: durability of the server itself is not under test (clients are killed, not it)
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
fi

if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "starting the server on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >&2
fi

as_pg "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE "$ROLE" LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE "$ROLE" LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/postgres"
