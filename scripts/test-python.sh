#!/usr/bin/env bash
# The PyTorch package's tests (python/tests): a virtual environment with the pinned CPU build of torch
# (python/requirements-test.txt), the package installed from ./python, then pytest. The venv is kept
# in .build/python-venv, so later runs only check the pins. The tests that run the Swift binary
# (LATENT_EXPLORER_BIN, default .build/debug/latent-explorer) skip with a reason when it is not built.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${LATENT_EXPLORER_VENV:-.build/python-venv}"
python="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv" || { echo "error: '$python -m venv' failed: install Python 3 with its venv module (Debian: python3-venv)" >&2; exit 1; }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-test.txt
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps ./python

export LATENT_EXPLORER_BIN="${LATENT_EXPLORER_BIN:-$PWD/.build/debug/latent-explorer}"
status=0
# From the top, so that the tests import the installed package, not the source folder.
"$venv/bin/python" -m pytest -q -rs python/tests || status=$?
if [[ $status -eq 5 ]]; then
    echo "error: pytest collected no tests in python/tests" >&2
    exit 1
fi
exit "$status"
