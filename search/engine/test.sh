#!/usr/bin/env bash
# The search-engine tests: start the engine, run tests/search_engine and then the search,
# permission and visibility tests with the engine as the configured backend, stop it.
#
#   bash search/engine/test.sh [pytest arguments]
#
# With SAPA_ENGINE_URL already set, that engine is used and none is started. When no Java 21+
# is found the tests run without an engine: they skip with a message, or fail on CI (CI=true).
# Any other failure to start (Maven, port in use, a crash) fails here, everywhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
ENGINE=search/engine/engine.sh

if [[ -z "${SAPA_ENGINE_URL:-}" ]]; then
  # Set before the start, so that an interrupt during it stops the engine too.
  trap 'bash "$ENGINE" stop' EXIT
  trap 'exit 130' INT TERM HUP
  rc=0
  url=$(bash "$ENGINE" start) || rc=$?
  if ((rc == 0)); then
    export SAPA_ENGINE_URL=$url
  elif ((rc == 3)); then
    echo "engine: no Java 21 or newer; the engine tests run without an engine (skip, or fail on CI)" >&2
  else
    echo "engine: could not start (exit $rc)" >&2
    exit "$rc"
  fi
fi

status=0
"$VENV/bin/pytest" tests/search_engine -q -p no:cacheprovider "$@" || status=$?
if [[ -n "${SAPA_ENGINE_URL:-}" ]]; then
  # The same search, permission and visibility tests the embedded default passes, on the engine:
  # each test searches an alias of its own (tests/conftest.py), dropped after it. Of the access
  # table, the rows whose view asks the search backend (the others, marked search_free, answer
  # the same on any backend: test_access fails a row that asks it unmarked).
  echo "== the search, permission and visibility tests again, on the engine"
  SAPA_SEARCH_BACKEND=engine SAPA_SEARCH_ENGINE_URL="$SAPA_ENGINE_URL" \
    "$VENV/bin/pytest" -q -p no:cacheprovider -n "${SAPA_TEST_WORKERS:-auto}" --dist loadfile \
    -m "not search_free" tests/search tests/security tests/records/test_visibility.py \
    tests/records/test_organisations.py tests/localisation/test_languages.py "$@" || status=$?
fi
exit "$status"
