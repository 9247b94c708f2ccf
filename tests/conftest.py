"""Shared fixtures: organisations and their libraries as the demo builds them, and users."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings

from home import demo

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the rows migrations made included
    (Wagtail's root page, locale, collection; content types): they are put back at once, so the
    test after it starts from the database it expects whichever file it comes from. Running the
    suite on several workers (pytest-xdist) leaves no order that would keep such tests last."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in getattr(item, "fixturenames", ())
    )
    if not transactional:
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def portal(db):
    return demo.ensure_portal()


@pytest.fixture
def kaznrtu_library(portal):
    return demo.ensure_organisation(portal, demo.ORGANISATIONS[0])


@pytest.fixture
def aru_library(portal):
    return demo.ensure_organisation(portal, demo.ORGANISATIONS[1])


@pytest.fixture
def users(kaznrtu_library, aru_library):
    return demo.ensure_groups_and_users([kaznrtu_library, aru_library])


@pytest.fixture
def workflow(kaznrtu_library, aru_library, users):
    return demo.ensure_workflow([kaznrtu_library, aru_library])


def _demo_settings(folders):
    return {
        "MEDIA_ROOT": folders["media"],
        "STORAGES": {
            **settings.STORAGES,
            "records": {
                "BACKEND": "records.storage.PrivateFileStorage",
                "OPTIONS": {"location": str(folders["records"])},
            },
        },
        "SAPA_SEARCH_TANTIVY_PATH": folders["search"] / "search-tantivy",
    }


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per test session (and per xdist worker), then rolled back."""
    from . import demo_snapshot

    base = tmp_path_factory.mktemp("demo")
    folders = {name: base / name for name in ("media", "records", "search")}
    with django_db_blocker.unblock():
        return demo_snapshot.build(folders, _demo_settings)


@pytest.fixture
def demo_content(db, _demo_snapshot, media_root, search_index, settings):
    """The full demo: both seed documents imported and published, with the demo records and
    their files: the session's copy, written into this test's transaction and folders."""
    records = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    return _demo_snapshot.restore(
        {"media": media_root, "records": records, "search": search_index.parent}
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test files its uploads (and its records' private files) into folders of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "records": {
            "BACKEND": "records.storage.PrivateFileStorage",
            "OPTIONS": {"location": str(tmp_path / "records")},
        },
    }
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """Each test searches an embedded (tantivy) index of its own."""
    from search.backends import reset_backends

    settings.SAPA_SEARCH_TANTIVY_PATH = tmp_path / "search-tantivy"
    settings.SAPA_SEARCH_VECTORS_PATH = tmp_path / "search-vectors.sqlite3"
    # On the engine (``bash search/engine/test.sh`` runs tests/search there): an alias of its own.
    settings.SAPA_SEARCH_ENGINE_ALIAS = f"sapa-test-{uuid.uuid4().hex[:12]}"
    reset_backends()
    yield settings.SAPA_SEARCH_TANTIVY_PATH
    if settings.SAPA_SEARCH_BACKEND == "engine":
        from search.backends import get_backend

        client = get_backend().client
        for index in client.indices.get(index=f"{settings.SAPA_SEARCH_ENGINE_ALIAS}*"):
            client.indices.delete(index=index, ignore=[404])
    reset_backends()


@pytest.fixture(autouse=True)
def _caches_are_empty():
    """Each test starts with empty caches: Wagtail keeps its sites' root paths in the default
    cache and clears them when a Site is saved, which the demo laid in by rows never does; and a
    document body rendered for another test's pages must not be served in this one."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _interface_language_is_reset():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it): each test starts in the site's default language, whatever the
    test before asked for."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
