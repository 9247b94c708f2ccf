"""Browser journeys: Debian's Chromium, driven by Playwright, against a live Sapa.

The demo is loaded once per run into a folder of its own (database, media, records store,
search index); every test gets a copy of that folder and its own server on a free port, so a
journey that publishes a change or files a record never leaks into the next one (journeys
marked ``reads_only``, which change nothing, share one such server per worker). The server is
the one people try (`manage.py runserver` on the development settings with DEBUG off), not an
in-process test server: what the browser sees is what `make demo` serves.

Every step a journey names is saved as a screenshot under ``e2e-screenshots/<test>/``, and
every open page is saved there too when a test fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from .demo_site import ACCOUNTS, SESSIONS, loaded_demo, server_env
from .languages import BROWSER_LOCALES, LANGUAGES, VISIBLE_TEXT, content_strings, foreign_words
from .languages import t as translate
from .languages import tn as translate_plural

ROOT = Path(__file__).resolve().parents[2]
# Not under test-results/: pytest-playwright empties that folder at the start of every pytest run.
SCREENSHOTS = ROOT / "e2e-screenshots"
# Debian's chromium-headless-shell: the same Chromium built without the windowed browser, what
# Playwright itself runs for headless tests (a quarter less time for the journeys than the full
# browser in headless mode). SAPA_CHROMIUM=/usr/bin/chromium runs them in the full browser.
CHROMIUM = os.environ.get("SAPA_CHROMIUM", "/usr/bin/chromium-headless-shell")
PASSWORDS = {name: name for name in ACCOUNTS}

expect.set_options(timeout=15_000)


# The longest journeys (a quarter to a half minute each, in every language), started first: the
# workers then share out the short ones, instead of one of them finishing a long one alone while
# the other waits. pytest-xdist hands the tests out in this order, one at a time to whichever
# worker is free when run with ``--maxschedchunk 1`` (tests/run-all.sh): 182 s against 204 s.
LONGEST_FIRST = (
    "test_a_change_is_agreed_approved_and_published_with_its_register_row",
    "test_a_new_edition_supersedes_the_old_one_which_stays_readable",
    "test_staff_open_what_a_published_change_changed",
    "test_the_quality_office_chooses_the_fixes_before_the_draft",
    "test_a_review_that_needs_a_new_edition_starts_it_and_is_in_the_history",
    "test_quality_office_holds_releases_and_disposes_with_a_second_person",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)

    def rank(item) -> int:
        name = getattr(item, "originalname", item.name)
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the others keep their order


@pytest.fixture(scope="session")
def demo_var(tmp_path_factory, worker_id) -> Path:
    """A folder holding the demo as `make demo` loads it; copied, never served itself.

    Loaded once per run (``demo_site``): by ``tests/run-all.sh`` beside the engine's tests
    when it names the folder in ``SAPA_E2E_DEMO_ROOT``, else by the first worker
    (pytest-xdist) to need it while the others wait, instead of every worker loading its own
    at the same time."""
    chosen = os.environ.get("SAPA_E2E_DEMO_ROOT")
    if chosen:
        return loaded_demo(Path(chosen))
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the folder all workers' temporary folders share
    return loaded_demo(root)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveSite:
    url: str
    var_dir: Path
    log: Path

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")

    def session_cookie(self, who: str) -> dict:
        """The cookie of the session ``who`` was given when the demo was loaded."""
        sessions = json.loads((self.var_dir / SESSIONS).read_text())
        return {"name": sessions["cookie"], "value": sessions["keys"][who], "url": self.url}

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Reads the served database directly (read-only), to find what a journey needs to
        name, such as the id of a record the user cannot see."""
        uri = f"file:{self.var_dir / 'sapa.sqlite3'}?mode=ro"
        with sqlite3.connect(uri, uri=True) as connection:
            return connection.execute(sql, params).fetchall()


@dataclass
class _Server:
    """A copy of the demo's folder and a server on it, started and not yet asked anything."""

    site: LiveSite
    process: subprocess.Popen

    @classmethod
    def start(cls, demo_var: Path, folder: Path) -> _Server:
        var_dir = folder / "var"
        shutil.copytree(demo_var, var_dir, symlinks=True)  # the search index's `current` link
        port = _free_port()
        log = folder / "server.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    "--noreload",
                    "--skip-checks",  # the system checks ran when the demo was loaded
                    "--insecure",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=server_env(var_dir),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return cls(LiveSite(url=f"http://127.0.0.1:{port}", var_dir=var_dir, log=log), process)

    def wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.site.url + "/accounts/login/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise RuntimeError(
                        "the server did not start:\n" + self.site.server_log()
                    ) from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def _next_server(demo_var, tmp_path_factory):
    """Each test's server is started while the test before it runs: a test takes the one
    waiting (its own fresh copy of the demo, never served before) and the next one starts."""
    waiting: list[_Server] = []

    def take() -> _Server:
        server = waiting.pop() if waiting else _Server.start(demo_var, _folder())
        waiting.append(_Server.start(demo_var, _folder()))
        return server

    def _folder() -> Path:
        return tmp_path_factory.mktemp("site")

    yield take
    for server in waiting:
        server.stop()


@pytest.fixture(scope="session")
def _reading_server(demo_var, tmp_path_factory):
    """One server per worker for the journeys marked ``reads_only``: they sign in, look and
    leave nothing another one could see (at most a session, and an auditor's access in the
    access log, which none of them reads)."""
    server = _Server.start(demo_var, tmp_path_factory.mktemp("reading-site"))
    yield server
    server.stop()


@pytest.fixture
def live_site(request, _next_server) -> LiveSite:
    if request.node.get_closest_marker("reads_only"):
        server = request.getfixturevalue("_reading_server")
        server.wait_until_it_answers()
        yield server.site
        return
    server = _next_server()
    server.wait_until_it_answers()
    yield server.site
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium packages: Playwright never downloads a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")[:80]


@dataclass
class People:
    """The people of a journey: each signs in in a browser context of their own, with a
    browser that asks for the journey's interface language."""

    browser: Browser
    site: LiveSite
    folder: Path
    language: str = "kk"
    contexts: dict[str, BrowserContext] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    step: int = 0
    leaks: list[str] = field(default_factory=list)

    def t(self, message: str, **values) -> str:
        """``message`` as the journey's language shows it (the server's own catalogues)."""
        return translate(self.language, message, **values)

    def tn(self, singular: str, plural: str, number: int, **values) -> str:
        return translate_plural(self.language, singular, plural, number, **values)

    def t_re(self, *messages: str) -> re.Pattern:
        """Any of ``messages`` as the journey's language shows them, as a pattern."""
        return re.compile("|".join(re.escape(self.t(m)) for m in messages))

    def check_language(self, who: str, name: str = "") -> None:
        """What ``who`` sees now holds no word of another interface language."""
        page = self.pages[who]
        seen = page.evaluate(VISIBLE_TEXT)
        where = f"{who} at {page.url.removeprefix(self.site.url)}" + (f" ({name})" if name else "")
        if seen["lang"] != self.language:
            self.leaks.append(f"{where}: <html lang={seen['lang']!r}>")
        words = foreign_words(self.language, seen["title"] + "\n" + seen["text"], self.content())
        if words:
            self.leaks.append(f"{where}: {sorted(set(words))}")

    def content(self) -> list[str]:
        return content_strings(self.site.var_dir / "sapa.sqlite3")

    def new_page(
        self,
        who: str,
        *,
        viewport: dict | None = None,
        sign_in: bool = True,
        through_the_form: bool = False,
        locale: str | None = None,
    ) -> Page:
        """A browser of its own for ``who``, signed in (unless ``sign_in`` is False) with the
        session the demo gave them, or, ``through_the_form``, on the sign-in page as a person
        does; the page is blank (signed in through the form: the start page)."""
        context = self.browser.new_context(
            base_url=self.site.url,
            locale=BROWSER_LOCALES[locale or self.language],
            viewport=viewport or {"width": 1280, "height": 900},
            accept_downloads=True,
        )
        page = context.new_page()
        self.contexts[who] = context
        self.pages[who] = page
        if sign_in and who in PASSWORDS and not through_the_form:
            context.add_cookies([self.site.session_cookie(who)])
        elif sign_in and who in PASSWORDS:
            page.goto("/accounts/login/")
            page.get_by_label(self.t("User name")).fill(who)
            page.get_by_label(self.t("Password")).fill(PASSWORDS[who])
            page.get_by_role("button", name=self.t("Sign in")).click()
            expect(page.locator(".user-name")).to_be_visible()
        return page

    def shot(self, who: str, name: str, *, full_page: bool = True) -> Path:
        """Saves what ``who`` sees now as the journey's next step: the whole page, or, for a
        page longer than four screens (a procedure of sixty pages is a picture 30,000 pixels
        tall, a second to take), the screen they are looking at."""
        self.step += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.step:02d}-{_slug(who)}-{_slug(name)}.png"
        page = self.pages[who]
        if full_page:
            height = page.evaluate("document.documentElement.scrollHeight")
            full_page = height <= 4 * page.viewport_size["height"]
        # Transitions and animations finished first: a dialog is shown as it stands, not
        # half faded in.
        try:
            page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        except PlaywrightError as error:
            # Chromium now and then refuses one capture ("Unable to capture screenshot") and
            # takes the same picture when asked again; the picture is the journey's record,
            # not what it checks, so it is asked for once more before the journey fails.
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(250)
            page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        self.check_language(who, name)
        return path


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    """Every journey runs once in each interface language."""
    return request.param


@pytest.fixture
def people(browser, live_site, language, request):
    # The journey's name, cut, then its parameters whole ("kk-chromium"): cut together, a long
    # name's three languages shared one folder and kept only the last one's pictures.
    name, _bracket, params = request.node.name.partition("[")
    folder = SCREENSHOTS / "-".join(filter(None, (_slug(name), _slug(params))))
    shutil.rmtree(folder, ignore_errors=True)
    crowd = People(browser=browser, site=live_site, folder=folder, language=language)
    yield crowd
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder.mkdir(parents=True, exist_ok=True)
        for who, page in crowd.pages.items():
            try:
                page.screenshot(path=str(folder / f"failed-{_slug(who)}.png"), full_page=True)
            except Exception:  # a closed page has nothing left to show
                pass
        (folder / "server.log").write_text(live_site.server_log())
    passed = report is not None and report.passed
    if passed:
        for who, page in crowd.pages.items():
            if not page.is_closed():
                crowd.check_language(who, "last screen")
    for context in crowd.contexts.values():
        context.close()
    if passed and crowd.leaks:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "language-leaks.txt").write_text("\n".join(crowd.leaks))
        pytest.fail(
            f"words of another interface language than {language!r}:\n" + "\n".join(crowd.leaks),
            pytrace=False,
        )
