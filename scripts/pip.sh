#!/usr/bin/env bash
# `pip install` into the project's .venv, quietly, keeping pip's exit status: a failed install
# fails the caller. Only pip's "WARNING: Location … is ignored" lines (about package indexes a
# machine's pip configuration names but does not have) are dropped; every other line, errors
# included, is shown. Arguments go to `pip install`, e.g. `bash scripts/pip.sh -e '.[dev]'`.
# PIP_PYTHON names another interpreter (default: .venv/bin/python).
set -euo pipefail
python=${PIP_PYTHON:-.venv/bin/python}
# Under pipefail the pipeline's status is pip's: the filter itself always succeeds.
"$python" -m pip install -q --disable-pip-version-check "$@" 2>&1 \
  | { grep -v '^WARNING: Location ' || true; }
