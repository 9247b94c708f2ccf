"""Reading rendered PDFs back the way a person (and the importer) reads them."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass

import pdfplumber

from sapa.documents.rendering import renderings_storage

KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def stored_bytes(rendering) -> bytes:
    with renderings_storage().open(rendering.file_name, "rb") as handle:
        return handle.read()


@dataclass(frozen=True)
class PrintedPage:
    text: str  # pdfplumber's extract_text()
    lines: tuple[dict, ...]  # extract_text_lines(), each with its chars
    chars: tuple[dict, ...]
    height: float


@functools.lru_cache(maxsize=2)
def printed(data: bytes) -> tuple[PrintedPage, ...]:
    """Each page of the PDF as pdfplumber reads it, read once for all the questions a test
    asks of the same PDF (each question used to read the whole of 715 again: six readings)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return tuple(
            PrintedPage(
                text=page.extract_text() or "",
                lines=tuple(page.extract_text_lines()),
                chars=tuple(page.chars),
                height=page.height,
            )
            for page in pdf.pages
        )


def page_texts(data: bytes) -> list[str]:
    return [page.text for page in printed(data)]


def big_words(data: bytes, min_size: float = 30) -> list[str]:
    """Per page, the text of its large characters in drawing order (the rotated stamp)."""
    return [
        "".join(c["text"] for c in page.chars if c["size"] >= min_size) for page in printed(data)
    ]


def header_lines(data: bytes) -> list[str]:
    """The first printed line of each page (the running header's band)."""
    return [
        " ".join(line["text"] for line in page.lines if line["top"] < 65) for page in printed(data)
    ]


def footer_lines(data: bytes) -> list[str]:
    return [
        " ".join(line["text"] for line in page.lines if line["top"] > page.height * 0.92)
        for page in printed(data)
    ]


def contents_and_starts(data: bytes) -> tuple[dict[str, int], dict[str, int]]:
    """The contents' page number of each numbered section, and the page its heading (bold,
    at the start of a line, "N TITLE") is printed on."""
    toc: dict[str, int] = {}
    starts: dict[str, int] = {}
    for index, page in enumerate(printed(data), start=1):
        texts = [line["text"] for line in page.lines]
        if "Мазмұны" in texts:
            for text in texts:
                match = re.fullmatch(r"(\d+\.?) (.+?) (\d+)", text)
                if match:
                    toc[match.group(1).rstrip(".")] = int(match.group(3))
            continue
        for line in page.lines:
            bold = all("Bold" in c["fontname"] for c in line["chars"] if c["text"].strip())
            match = re.match(r"(\d+\.?) [А-ЯӘҒҚҢӨҰҮҺІA-Z ,.-]{4,}$", line["text"])
            if bold and match:
                starts.setdefault(match.group(1).rstrip("."), index)
    return toc, starts


def fonts_used(data: bytes) -> dict[str, bool]:
    """Every font the pages use, and whether its file is embedded in the PDF."""
    from pdfminer.pdftypes import resolve1

    found: dict[str, bool] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = resolve1(resolve1(page.page_obj.resources).get("Font")) or {}
            for font in fonts.values():
                font = resolve1(font)
                descendants = resolve1(font.get("DescendantFonts")) or [font]
                for item in descendants:
                    item = resolve1(item)
                    descriptor = resolve1(item.get("FontDescriptor")) or {}
                    name = str(resolve1(item.get("BaseFont")))
                    found[name] = any(
                        key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")
                    )
    return found


def run_worker() -> None:
    """What ``manage.py db_worker --backend background`` does in production, once. Between
    tasks the worker closes the connection (right in production); inside the test's
    transaction on PostgreSQL that would close the test's own connection."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")
