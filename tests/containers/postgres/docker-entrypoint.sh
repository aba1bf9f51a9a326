#!/bin/bash
# Minimal stand-in for the official postgres image's entrypoint:
# initialises $PGDATA from POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB on first start,
# allows password (scram-sha-256) logins from any host, then runs the server as user postgres
# listening on all container interfaces. Arguments starting with '-' are passed to postgres.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

if [ "$1" = postgres ]; then
  shift
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  : "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    echo "error: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi

  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
  fi

  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
    chown postgres:postgres "$pwfile" 2>/dev/null || true
    pwopt=()
    [ -n "${POSTGRES_PASSWORD:-}" ] && pwopt=(--pwfile="$pwfile")
    as_postgres initdb -D "$PGDATA" -U "$POSTGRES_USER" "${pwopt[@]}" \
      --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" \
      -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    echo "host all all all $POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

    # Create the database and run init scripts on a socket-only server, so nobody can
    # connect over TCP (and pg_isready --host localhost fails) until initialisation is over.
    as_postgres pg_ctl -D "$PGDATA" -w -t 60 -l "$PGDATA/init.log" \
      -o "-c listen_addresses='' -k /var/run/postgresql" start >/dev/null
    psql=(psql -v ON_ERROR_STOP=1 -X -q -h /var/run/postgresql -U "$POSTGRES_USER")
    if [ "$POSTGRES_DB" != postgres ]; then
      echo 'CREATE DATABASE :"db";' \
        | as_postgres "${psql[@]}" -d postgres --set db="$POSTGRES_DB" >/dev/null
    fi
    if [ -d /docker-entrypoint-initdb.d ]; then
      for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
          *.sh) echo "running $f"; . "$f" ;;
          *.sql) echo "running $f"; as_postgres "${psql[@]}" -d "$POSTGRES_DB" -f "$f" ;;
          *) ;;
        esac
      done
    fi
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    rm -f "$PGDATA/init.log"
    echo "PostgreSQL init process complete; ready for start up."
  fi

  if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
      postgres -D "$PGDATA" -c listen_addresses='*' "$@"
  fi
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi

exec "$@"
