#!/usr/bin/env bash
# hubcore as its users get it: builds the sdist and the wheel into dist/, checks them with
# twine, installs the wheel (with its `test` extra) into a fresh venv, runs the demo there and
# then the test suite against that installed package, not this source tree. Finally installs
# the documented example plugin (docs/examples/hubcore_example_plugin) as its README says and
# checks hubcore finds it. Needs .venv (bash scripts/pip.sh -e '.[dev]'). Extra arguments go
# to pytest. Used by .ci/run instead of a second run of the suite from the source tree.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== build sdist + wheel"
rm -rf dist
log=$(mktemp)
.venv/bin/python -m build --outdir dist . >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
tail -1 "$log" && rm -f "$log"
.venv/bin/twine check --strict dist/*
wheel=$(ls dist/hubcore-*.whl)

echo "== install the wheel into a fresh venv"
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
PIP_PYTHON="$venv/bin/python" bash scripts/pip.sh "$wheel[test]" docs/examples/logfile_backend
# The test run must see the installed copy: nothing of src/ may shadow it.
where=$(cd "$root" && "$venv/bin/python" -c 'import hubcore; print(hubcore.__file__)')
case "$where" in
  "$venv"/lib/*/site-packages/hubcore/__init__.py) echo "hubcore from $where" ;;
  *) echo "hubcore was imported from $where, not from the installed wheel" >&2; exit 1 ;;
esac

echo "== demo from the installed package"
demo=$(mktemp -d)
(cd "$demo" && "$venv/bin/hubcore" demo >demo.txt && head -2 demo.txt && ls hubcore-reports)

echo "== tests against the installed package"
HUBCORE_TEST_INSTALLED="$venv" bash scripts/test.sh -p no:cacheprovider "$@"

echo "== the example plugin installs as documented"
PIP_PYTHON="$venv/bin/python" bash scripts/pip.sh -e docs/examples/hubcore_example_plugin
listed=$("$venv/bin/hubcore" reporters)
grep -q 'training-hours' <<<"$listed" \
  || { echo "hubcore reporters does not list the example plugin's training-hours" >&2; exit 1; }
(cd "$demo" && "$venv/bin/hubcore" report training-hours --format tsv --out report.tsv \
  && head -2 report.tsv)
rm -rf "$demo" "$(dirname "$venv")"
