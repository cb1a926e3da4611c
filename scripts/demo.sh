#!/usr/bin/env bash
# Sets up the tool on a fresh machine and runs the main job: the demo on built-in sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out="${1:-out/demo}"
exec .venv/bin/xl-awards demo --out "$out"
