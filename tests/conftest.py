"""Shared fixtures: organisations and their libraries as the demo builds them, and users."""

import gc
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from home import demo

SHARED = Path(__file__).resolve().parents[2] / "shared"


# pytest-xdist hands each worker whole files, the files with the most tests first. These have
# few tests that take long (processes of their own, whole imports): handed out first, they
# never leave one worker running them alone while the other has finished. The first four open
# no database: on a new machine, the workers run them while the migrated template
# (tests/migrated.py) is still being made, instead of waiting for it (the PostgreSQL step,
# which runs only the tests that open one, skips them).
_START_FIRST = (
    "tests/test_wheel.py",
    "tests/documents/test_import_variants.py",
    "tests/documents/test_import_pdf.py",
    "tests/search/test_contract.py",
    "tests/restore/test_restore_drill.py",
    "tests/documents/test_import_command.py",
    "tests/search/test_vectors.py",
    "tests/documents/test_workflow.py",
    "tests/badinput/test_importer.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class LongFilesFirst(LoadFileScheduling):
        def _assign_work_unit(self, node):
            if not getattr(self, "_long_files_first", False):
                self._long_files_first = True
                for path in reversed(_START_FIRST):
                    if path in self.workqueue:
                        self.workqueue.move_to_end(path, last=False)
            return super()._assign_work_unit(node)

    if config.getvalue("dist") == "loadfile":
        return LongFilesFirst(config, log)
    return None


# A test run makes and drops millions of short-lived objects (querysets, template contexts,
# requests). Python's default collects its youngest generation every 700 allocations, and each
# collection also walks what lives on. Collecting nothing while the tests are gathered (their
# modules and parameters live as long as the run), then setting all of that aside from every
# later collection (``gc.freeze``) and collecting young objects less often: the SQLite step went
# from 281 to 236 s of CPU on this 2-core machine (4,537 tests; ``time`` around its pytest).
gc.disable()


def pytest_configure(config):
    gc.set_threshold(100_000, 50, 100)
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        gc.enable()  # pytest-xdist's controller gathers no tests


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    gc.enable()


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that open a database (or are marked postgres): the "
        "PostgreSQL step of make test; the others (PDF and Word parsing, text analysis, the "
        "search backends' contract) give the same answer on any database and run in the "
        "SQLite step",
    )


# pytest-django's fixtures that give a test the database.
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _opens_the_database(item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return True
    if _DATABASE_FIXTURES & set(info.names_closure):
        return True
    # A fixture of this suite that unblocks the database itself (a world built once per module).
    return any(
        "django_db_blocker" in definition.argnames
        and not definition.func.__module__.startswith("pytest_django")
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    opens = {item.nodeid: _opens_the_database(item) for item in items}
    kept = [item for item in items if opens[item.nodeid]]
    left = [item for item in items if not opens[item.nodeid]]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def _test_databases_from_the_template(django_db_modify_db_settings):
    """Each worker's test database starts as a copy of one migrated database (tests/migrated.py)
    instead of migrating its own: 10 to 16 s less per worker."""
    from .migrated import test_databases_from_the_template

    with test_databases_from_the_template():
        yield


@pytest.fixture(scope="session")
def django_db_setup(_test_databases_from_the_template, django_db_setup):
    """pytest-django's, on a copy of the migrated template."""
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the rows migrations made included
    (Wagtail's root page, locale, collection; content types): they are put back at once, so the
    test after it starts from the database it expects whichever file it comes from. Running the
    suite on several workers (pytest-xdist) leaves no order that would keep such tests last."""
    yield
    if nextitem is None:
        # The last test of the session (or worker): its teardown has dropped the test
        # databases already, and no test follows that would need the rows.
        return
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


# The world most tests start from: the portal, the two universities' libraries, their groups
# and people, the agreement workflow, each made by ``home.demo`` as the demo makes it. The
# session makes them once, in layers (tests/demo_snapshot.py), and each fixture lays its
# layer into the test by rows: 0.05 to 0.15 s less for each of hundreds of tests. A layer is
# laid in only onto the tables it was made on; where the test's own fixtures wrote there first
# (another organisation, people of its own, the demo), the fixture makes it as before.
def _world_tree():
    """The layers, as a tree: each is made on its parent's rows, and answers what it made."""
    built: dict[str, object] = {}

    def made(name, value):
        built[name] = value
        return {name: value}

    def portal():
        return made("portal", demo.ensure_portal())

    def library(name, spec):
        return lambda: made(name, demo.ensure_organisation(built["portal"], spec))

    def users():
        libraries = [built["kaznrtu_library"], built["aru_library"]]
        return made("users", demo.ensure_groups_and_users(libraries))

    def workflow():
        libraries = [built["kaznrtu_library"], built["aru_library"]]
        return made("workflow", demo.ensure_workflow(libraries))

    def records_world():
        from tests.factories.records import build_world

        return made("records world", build_world(built["kaznrtu_library"]))

    def published_procedure():
        from tests.documents.helpers import fresh, save_and_publish
        from tests.factories.documents import ProcedurePageFactory

        page = ProcedurePageFactory(parent=built["kaznrtu_library"])
        save_and_publish(page, built["users"]["quality"])
        return made("published procedure", fresh(page))

    kaznrtu, aru = demo.ORGANISATIONS[0], demo.ORGANISATIONS[1]
    return [
        (
            "portal",
            portal,
            [
                ("aru_library alone", library("aru_library", aru), []),
                (
                    "kaznrtu_library",
                    library("kaznrtu_library", kaznrtu),
                    [
                        # tests/factories/records.py's units, series and people
                        ("records world", records_world, []),
                        (
                            "aru_library",
                            library("aru_library", aru),
                            [
                                (
                                    "users",
                                    users,
                                    [
                                        ("workflow", workflow, []),
                                        ("published procedure", published_procedure, []),
                                    ],
                                )
                            ],
                        ),
                    ],
                ),
            ],
        )
    ]


@pytest.fixture(scope="session")
def _world_layers(django_db_setup, django_db_blocker, tmp_path_factory):
    from . import demo_snapshot

    base = tmp_path_factory.mktemp("world")
    folders = {name: base / name for name in ("media", "records", "search")}
    with django_db_blocker.unblock():
        return demo_snapshot.build_layers(folders, _demo_settings, _world_tree())


@pytest.fixture
def _lay(_world_layers, media_root, search_index, settings):
    """Lays in the first of the named layers that applies and returns what it made; None
    when none applies."""
    records = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    laid: set[str] = set()

    def lay(*names):
        for name in names:
            layer = _world_layers[name]
            made = name.removesuffix(" alone")
            if layer.made_on <= laid and layer.applies():
                destinations = {"media": media_root, "records": records}
                destinations["search"] = search_index.parent
                answer = layer.restore(destinations)[made]
                laid.add(made)
                return answer
        return None

    return lay


@pytest.fixture
def portal(db, _lay):
    return _lay("portal") or demo.ensure_portal()


@pytest.fixture
def kaznrtu_library(portal, _lay):
    return _lay("kaznrtu_library") or demo.ensure_organisation(portal, demo.ORGANISATIONS[0])


@pytest.fixture
def aru_library(portal, _lay):
    return _lay("aru_library", "aru_library alone") or demo.ensure_organisation(
        portal, demo.ORGANISATIONS[1]
    )


@pytest.fixture
def users(kaznrtu_library, aru_library, _lay):
    return _lay("users") or demo.ensure_groups_and_users([kaznrtu_library, aru_library])


@pytest.fixture
def workflow(kaznrtu_library, aru_library, users, _lay):
    return _lay("workflow") or demo.ensure_workflow([kaznrtu_library, aru_library])


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
        return demo_snapshot.build(folders, _demo_settings, load=demo.load_demo)


@pytest.fixture
def demo_content(db, _demo_snapshot, media_root, search_index, settings):
    """The full demo: both seed documents imported and published, with the demo records and
    their files: the session's copy, written into this test's transaction and folders."""
    records = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    return _demo_snapshot.restore(
        {"media": media_root, "records": records, "search": search_index.parent}
    )


@pytest.fixture(scope="session")
def _kept_fixtures(tmp_path_factory):
    from .demo_snapshot import KeptFixtures

    return KeptFixtures(tmp_path_factory.mktemp("kept"))


@pytest.fixture
def made_once(_kept_fixtures, db, tmp_path, media_root, search_index):
    """``made_once(name, load)`` answers what ``load()`` makes: the first test of the session
    (and xdist worker) that asks runs it; each later one whose database is as the first one's
    was gets the rows it wrote and the files it left in the test's folder instead
    (tests/demo_snapshot.py, ``KeptFixtures``). For fixtures that take long and act on nothing
    but the database and that folder: no e-mail, no work left for after the commit. On the
    engine (``bash search/engine/test.sh``), whose index is not in that folder, each test
    makes it."""
    if settings.SAPA_SEARCH_BACKEND == "engine":
        return lambda name, load: load()
    return lambda name, load: _kept_fixtures.made(name, load, tmp_path)


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
