#!/usr/bin/env bash
# Sets up everything on a fresh machine (venv, package, test extras, LibreOffice) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export XLWINGS_LICENSE_KEY="${XLWINGS_LICENSE_KEY:-noncommercial}"
exec .venv/bin/python -m pytest -q -n 2 "$@"
