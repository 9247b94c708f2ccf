"""Reading rendered PDFs back the way a person (and the importer) reads them."""

from __future__ import annotations

import io
import re

import pdfplumber

from sapa.documents.rendering import renderings_storage

KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def stored_bytes(rendering) -> bytes:
    with renderings_storage().open(rendering.file_name, "rb") as handle:
        return handle.read()


def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def big_words(data: bytes, min_size: float = 30) -> list[str]:
    """Per page, the text of its large characters in drawing order (the rotated stamp)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            "".join(c["text"] for c in page.chars if c["size"] >= min_size) for page in pdf.pages
        ]


def header_lines(data: bytes) -> list[str]:
    """The first printed line of each page (the running header's band)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            lines = page.extract_text_lines()
            top = [line["text"] for line in lines if line["top"] < 65]
            out.append(" ".join(top))
        return out


def footer_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            lines = page.extract_text_lines()
            bottom = [line["text"] for line in lines if line["top"] > page.height * 0.92]
            out.append(" ".join(bottom))
        return out


def contents_and_starts(data: bytes) -> tuple[dict[str, int], dict[str, int]]:
    """The contents' page number of each numbered section, and the page its heading (bold,
    at the start of a line, "N TITLE") is printed on."""
    toc: dict[str, int] = {}
    starts: dict[str, int] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            lines = page.extract_text_lines()
            texts = [line["text"] for line in lines]
            if "Мазмұны" in texts:
                for text in texts:
                    match = re.fullmatch(r"(\d+\.?) (.+?) (\d+)", text)
                    if match:
                        toc[match.group(1).rstrip(".")] = int(match.group(3))
                continue
            for line in lines:
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
