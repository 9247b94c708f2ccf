"""The search-engine tests run against a real engine, named by SAPA_ENGINE_URL.

`bash search/engine/test.sh` starts one (OpenSearch on 127.0.0.1), runs these tests and stops it.
Without SAPA_ENGINE_URL the tests skip with a message, except on CI (CI set), where a missing
engine is a failure.
"""

import os
import uuid

import pytest
from elasticsearch import Elasticsearch

HOW_TO_START = (
    "start the engine (OpenSearch, needs Java 21 or newer) with `bash search/engine/test.sh`, or "
    "`bash search/engine/engine.sh start` and then "
    "`SAPA_ENGINE_URL=$(bash search/engine/engine.sh url) pytest tests/search_engine`"
)


def on_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def engine_url():
    url = os.environ.get("SAPA_ENGINE_URL", "").strip()
    if not url:
        if on_ci():
            pytest.fail(
                "SAPA_ENGINE_URL is not set, and on CI the search-engine tests must run: "
                + HOW_TO_START,
                pytrace=False,
            )
        pytest.skip("no search engine: SAPA_ENGINE_URL is not set; " + HOW_TO_START)
    return url.rstrip("/")


@pytest.fixture(scope="session")
def es(engine_url):
    """The client Sapa uses (elasticsearch 7.13), talking to the engine."""
    client = Elasticsearch([engine_url], timeout=30)
    if not client.ping():
        pytest.fail(f"SAPA_ENGINE_URL={engine_url} does not answer; " + HOW_TO_START, pytrace=False)
    yield client
    client.close()


@pytest.fixture
def index_prefix(es):
    """A name prefix of this test's own; every index under it is deleted afterwards."""
    prefix = f"sapa-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    # Deleted by full name: a wildcard delete may be refused (action.destructive_requires_name).
    names = list(es.indices.get(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True))
    if names:
        es.indices.delete(index=",".join(names), ignore_unavailable=True)
