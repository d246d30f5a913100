#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster without systemd and creates the role and database
# corp-notifier uses. Prints the connection string on its last line.
#   PG_USER (corp_notifier)  PG_PASSWORD (corp_notifier)  PG_DATABASE (corp_notifier)  PG_PORT (5432)
set -euo pipefail
PG_USER=${PG_USER:-corp_notifier}
PG_PASSWORD=${PG_PASSWORD:-corp_notifier}
PG_DATABASE=${PG_DATABASE:-corp_notifier}
PG_PORT=${PG_PORT:-5432}

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster_line=$(pg_lsclusters --no-header | awk -v v="$version" '$1==v {print; exit}')
if [ -z "$cluster_line" ]; then
  pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
fi
status=$(pg_lsclusters --no-header | awk -v v="$version" '$1==v && $2=="main" {print $4}')
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" '$1==v && $2=="main" {print $3}')

for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $port -tAc \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != "1" ]; then
  psql_admin "CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$PG_DATABASE'")" != "1" ]; then
  psql_admin "CREATE DATABASE $PG_DATABASE OWNER $PG_USER"
fi
echo "Host=127.0.0.1;Port=$port;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DATABASE"
