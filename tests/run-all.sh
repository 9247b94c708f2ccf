#!/usr/bin/env bash
# Everything `make test` runs. Each step prints what it checks; the first failure stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
# Python keeps the compiled modules (and pytest its rewritten test modules) in __pycache__
# (ignored by git): every later process of the run, from each pytest worker to each
# manage.py a test starts, then skips compiling them (0.4 s a process, 3 s a worker).
unset PYTHONDONTWRITEBYTECODE

# The migrated databases every test database is copied from (tests/migrated.py): SQLite's from
# here, beside the steps below, which use one core; PostgreSQL's once its server is up, at the
# lowest priority, on what the rest leaves idle (its step waits for what is left). A test that
# needs one before it is made waits for it (a lock); one that failed (on a new machine, before
# the packages below are in) is made again by the first test that needs it, which says why.
"$PY" -m tests.migrated >/dev/null 2>&1 &

echo "== Debian packages the tests use (OCR, fonts, libmagic, gettext, LibreOffice, Chromium's headless shell)"
bash tests/apt-install.sh ocrmypdf tesseract-ocr-kaz tesseract-ocr-rus fonts-dejavu-core libmagic1 gettext \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  libreoffice-writer-nogui fonts-liberation chromium-headless-shell

# The PostgreSQL server runs from here to the end of its step.
source tests/postgres.sh
trap 'pg_stop' EXIT
pg_start
DATABASE_URL="$SAPA_PG_URL" nice -n 19 "$PY" -m tests.migrated >"$PG_DIR/migrated.log" 2>&1 &

echo "== interface catalogues compile (msgfmt)"
"$PY" manage.py compilemessages --ignore=.venv --ignore=var >/dev/null

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

echo "== import layers (import-linter)"
"$VENV/bin/lint-imports"

echo "== migrations are complete"
DJANGO_SETTINGS_MODULE=sapa.settings.test "$PY" manage.py makemigrations --check --dry-run

echo "== production settings pass check --deploy"
DJANGO_SETTINGS_MODULE=sapa.settings.production \
  SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=sapa.example.edu.kz "$PY" manage.py check --deploy --fail-level WARNING

# Every run spreads its tests over one worker per core (pytest-xdist), each with
# a database of its own; the demo content is built once per worker (tests/demo_snapshot.py).
PARALLEL=(-n "${SAPA_TEST_WORKERS:-auto}" --dist loadfile)

echo "== tests on SQLite"
"$VENV/bin/pytest" -q -p no:cacheprovider "${PARALLEL[@]}" --ignore=tests/search_engine --ignore=tests/e2e

echo "== tests on PostgreSQL (every test that opens a database; the rest ran above and never do)"
DATABASE_URL="$SAPA_PG_URL" "$VENV/bin/pytest" -q -p no:cacheprovider "${PARALLEL[@]}" \
  --database-tests-only --ignore=tests/search_engine --ignore=tests/e2e
pg_stop
trap - EXIT

# The demo site the browser journeys copy is loaded beside the engine's start and its contract
# tests, which run in one process and leave a core idle (the journeys wait for it if it is not
# done; its output is in load.log).
SAPA_E2E_DEMO_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/sapa-e2e-XXXXXX")
export SAPA_E2E_DEMO_ROOT
"$PY" -m tests.e2e.demo_site "$SAPA_E2E_DEMO_ROOT" >"$SAPA_E2E_DEMO_ROOT/load.log" 2>&1 &
E2E_LOADER=$!
trap 'kill "$E2E_LOADER" 2>/dev/null || true' EXIT

echo "== search engine tests (OpenSearch from Maven Central, on 127.0.0.1)"
bash search/engine/test.sh

echo "== browser journeys (Debian's Chromium, Playwright; screenshots in e2e-screenshots/)"
# One journey at a time to each worker as it frees up, longest first (tests/e2e/conftest.py):
# pytest-xdist otherwise hands each worker a run of consecutive journeys at the start, and one
# worker got all six of the longest (189 s against the other's 151 s).
"$VENV/bin/pytest" -q -p no:cacheprovider -n "${SAPA_TEST_WORKERS:-auto}" --maxschedchunk 1 tests/e2e
trap - EXIT
rm -rf "$SAPA_E2E_DEMO_ROOT"
