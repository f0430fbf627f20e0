#!/usr/bin/env bash
# The project's checks: lint (ruff), types (mypy), layers (lint-imports), then the whole test suite.
# PostgreSQL tests use ZHANCHI_TEST_PG_URL (defaults to the local server when it answers).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ZHANCHI_TEST_PG_URL:-}" ] && pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  export ZHANCHI_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi
.venv/bin/ruff check zhanchi tests benchmarks
.venv/bin/mypy zhanchi
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
