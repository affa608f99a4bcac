#!/usr/bin/env bash
# `make test-postgres`: install PostgreSQL (Debian's package) when missing, start a throw-away server on
# 127.0.0.1, run the store tests against it, stop it. Needs root (apt-get, su postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "安装 PostgreSQL（Debian 软件包 postgresql）"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$(mktemp -d)
chown postgres "$DIR"
PORT=${PGPORT_TEST:-55432}
su postgres -c "$BIN/initdb -D $DIR/data -A trust -U postgres >/dev/null"
su postgres -c "$BIN/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1' -w -l $DIR/log start >/dev/null"
trap 'su postgres -c "$BIN/pg_ctl -D $DIR/data -m fast -w stop" >/dev/null; rm -rf "$DIR"' EXIT
su postgres -c "$BIN/psql -h 127.0.0.1 -p $PORT -q -c 'create database pipeline_test'"
PIPELINE_TEST_STORE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/pipeline_test" \
  .venv/bin/python -m pytest tests/monitor/test_store.py -q -p no:cacheprovider
