#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 (trust auth, database `test`) for
# the PostgreSQL tests: starts Debian's cluster when it is stopped, installs Debian's
# postgresql package first when it is absent (as root). Prints one line; exits non-zero if
# no server could be had. Used by .ci/run; run it by hand to enable the tests locally.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  else
    echo "no PostgreSQL here (install Debian's postgresql as root)" >&2
    exit 1
  fi
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! ready; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 60); do ready && break; sleep 0.5; done
fi
ready || { echo "PostgreSQL $version did not start" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d test -tAc 'select 1' >/dev/null 2>&1; then
  # a fresh install: trust local TCP connections, as the test machines do, and make `test`
  hba=$(as_postgres "psql -tAc 'show hba_file'")
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    as_postgres "psql -qc 'select pg_reload_conf()'" >/dev/null
  fi
  as_postgres "createdb test" 2>/dev/null || true
fi
psql -h 127.0.0.1 -U postgres -d test -tAc 'select 1' >/dev/null
echo "PostgreSQL $version is up at 127.0.0.1:5432 (database test)"
