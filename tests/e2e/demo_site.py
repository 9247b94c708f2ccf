"""The folder the browser journeys copy their sites from: the demo as `make demo` loads it.

Loaded once per run, under a lock, by whoever needs it first: a journey's worker (the others
wait for it), or ``tests/run-all.sh``, which starts it beside the engine's start and contract
tests (one process: a core is left idle) so that the journeys find it ready::

    python -m tests.e2e.demo_site FOLDER     # loads FOLDER/e2e-demo unless it is loaded

Kept free of Playwright and pytest: the loader runs before either is needed."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.migrated import sqlite_template_from_anywhere

ROOT = Path(__file__).resolve().parents[2]
NAME = "e2e-demo"
SESSIONS = "e2e-sessions.json"
# The demo's accounts (password = user name), each given a session of its own once the demo is
# loaded: a journey's people start signed in with it (its cookie), as if they had signed in
# earlier that day, instead of each one hashing a password on the server. The journeys that
# are about signing in (and out) still use the form.
ACCOUNTS = ("quality", "quality2", "agreer1", "agreer2", "staff", "keeper", "auditor")
_MAKE_SESSIONS = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

keys = {}
for name in ACCOUNTS:
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))  # django.contrib.auth.login
    keys[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "keys": keys}))
"""


def server_env(var_dir: Path) -> dict[str, str]:
    """The environment of ``manage.py`` for a site in ``var_dir``: the development settings
    with DEBUG off, whatever database the caller's tests use."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="sapa.settings.dev",
        DEBUG="false",
        SAPA_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    # The journeys see the search as `make demo` serves it: with the clause vectors where
    # the meaning extra runs (SAPA_SEARCH_SEMANTIC, unset, means "auto").
    return env


def manage(var_dir: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(var_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def loaded_demo(root: Path) -> Path:
    """``root/e2e-demo`` with the demo loaded in it: loaded now unless an earlier caller did
    (one that failed half-way left no mark, so it is loaded again from nothing)."""
    root.mkdir(parents=True, exist_ok=True)
    var_dir = root / NAME
    with open(root / f"{NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (var_dir / ".loaded").exists():
            shutil.rmtree(var_dir, ignore_errors=True)
            var_dir.mkdir()
            # The database as `migrate` leaves it, copied (tests/migrated.py: no migration reads
            # the settings); `migrate` finds nothing left to apply and runs its handlers.
            shutil.copyfile(sqlite_template_from_anywhere(), var_dir / "sapa.sqlite3")
            manage(var_dir, "migrate", "--noinput")
            manage(var_dir, "demo")
            script = f"ACCOUNTS = {ACCOUNTS!r}\n{_MAKE_SESSIONS}"
            sessions = manage(var_dir, "shell", "-v0", "-c", script)
            (var_dir / SESSIONS).write_text(sessions.strip().splitlines()[-1])
            (var_dir / ".loaded").touch()
    return var_dir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.e2e.demo_site FOLDER")
    print(loaded_demo(Path(sys.argv[1])))
