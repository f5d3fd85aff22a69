#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs pytest.
# System package (Debian): chromium, the real headless browser that checks the HTML reports.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k codec`. CI runs it through
# scripts/package.sh, against the built wheel installed in a fresh venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
fi

python=.venv/bin/python
if [ -n "${HUBCORE_TEST_INSTALLED:-}" ]; then
  # scripts/package.sh: the venv it installed the built wheel into, tested as it is
  python="$HUBCORE_TEST_INSTALLED/bin/python"
else
  [ -x .venv/bin/python ] || python3 -m venv .venv
  bash scripts/pip.sh -e '.[test]' -e docs/examples/logfile_backend
fi
# PostgreSQL tests run on the database HUBCORE_TEST_POSTGRES names (.ci/run sets it after
# `bash scripts/postgres.sh`); without it they skip, saying how to enable them.
exec "$python" -m pytest --hub-store-backend=memory,sqlite,postgresql "$@"
