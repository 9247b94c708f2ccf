"""How Sapa runs ocrmypdf, for the importer's scans and the records' scanned files alike."""

from __future__ import annotations

import os
import shutil
import subprocess

LANGUAGES = "kaz+rus"  # tesseract's Kazakh and Russian data (Debian: tesseract-ocr-kaz, -rus)


def available() -> bool:
    return shutil.which("ocrmypdf") is not None


def run(arguments: list[str], *, timeout: int, languages: str = LANGUAGES):
    """``ocrmypdf --quiet --language LANGUAGES ARGUMENTS``; its CompletedProcess (text output).

    Tesseract runs on one thread a page unless the server's environment sets
    ``OMP_THREAD_LIMIT``: ocrmypdf gives a short scan's page several OpenMP threads, which
    spin while they wait for a core. Beside the site's other processes a one-page scan then
    took 2 to 7 s and twice the CPU, against 1 to 4 s on one thread; alone, 0.6 s either way.
    A longer scan's pages run in parallel, each on its thread."""
    return subprocess.run(
        ["ocrmypdf", "--quiet", "--language", languages, *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"OMP_THREAD_LIMIT": "1", **os.environ},
    )
