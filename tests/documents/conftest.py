"""Fixtures of the importer tests: the 715 procedure written in office layouts the corpus
does not have (see test_import_variants.py), as PDFs made once per session."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sapa.documents.importing.text import parse_text

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = "000_3e6beb1bcf47969b.txt"
REGISTER = tuple(
    json.loads((SHARED / "corpus" / "kaznrtu_715_kp.json").read_text(encoding="utf-8"))[
        "revision_register"
    ]["rows_added"]
)


def _layouts():
    from .variants import Layout

    return {
        # 1. another font (DejaVu Serif 12), other margins, headings as Word Heading 1/2
        "styles": Layout(
            "styles",
            font="DejaVu Serif",
            size=12,
            margins=(2.5, 2.5, 2.5, 2.0),
            headings="styles",
            register_rows=REGISTER,
        ),
        # 2. running header as a ruled 3-cell table with PAGE / NUMPAGES, page-number footer
        "header_table": Layout(
            "header_table",
            font="Liberation Serif",
            size=12,
            margins=(2.0, 2.0, 3.0, 1.0),
            header="table",
            footer=True,
            abbreviations="dash",
            register_rows=REGISTER,
        ),
        # 3. approval sheet as a borderless table: position | name | date
        "approval_table": Layout(
            "approval_table",
            font="Liberation Sans",
            size=11,
            header="text",
            approval="table",
            register_rows=REGISTER,
        ),
        # 4. a revision register of header rows and blank ruled rows only
        "empty_register": Layout(
            "empty_register",
            font="DejaVu Sans",
            size=10,
            margins=(2.0, 2.0, 2.0, 2.0),
            header="text",
            blank_rows=8,
        ),
        # 5. form codes cut at their hyphen: a manual line break after "715-", and the
        #    6.1 forms in a narrow ruled column where LibreOffice wraps them
        "broken_codes": Layout(
            "broken_codes",
            font="Liberation Sans",
            size=11,
            broken_codes=True,
            narrow_code_cells=True,
            register_rows=REGISTER,
        ),
    }


LAYOUT_NAMES = ("styles", "header_table", "approval_table", "empty_register", "broken_codes")


@pytest.fixture(scope="session")
def variant_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every variant as a PDF, written once per session (one LibreOffice run for all)."""
    try:
        from . import variants
    except ImportError as exc:  # python-docx missing
        _unavailable(f"python-docx is not installed ({exc}); pip install python-docx")
    if variants.soffice() is None:
        _unavailable(
            "LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui "
            "fonts-dejavu-core fonts-liberation"
        )
    directory = tmp_path_factory.mktemp("variants")
    text = (SHARED / "seeds" / SEED).read_text(encoding="utf-8")
    seed = parse_text(text, filename=SEED)
    logo = re.search(r"<p>([^<]+)</p>", text).group(1)  # "ҚАЗ ҰТЗУ" above the title page
    layouts = _layouts()
    files = [
        variants.build_docx(seed, layouts[name], directory, logo=logo) for name in LAYOUT_NAMES
    ]
    pdfs = variants.to_pdf(files, directory)
    return dict(zip(LAYOUT_NAMES, pdfs, strict=True))


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def published(kaznrtu_library, users, _lay):
    """A procedure of tests/factories/documents.py in ҚазҰТЗУ's library, published by the
    quality office: edition №1 in force (made once per session; a module may define its own)."""
    from tests.documents.helpers import fresh, save_and_publish
    from tests.factories.documents import ProcedurePageFactory

    made = _lay("published procedure")
    if made is not None:
        return made
    page = ProcedurePageFactory(parent=kaznrtu_library)
    save_and_publish(page, users["quality"])
    return fresh(page)


@pytest.fixture
def no_mail_server(settings):
    """The mail server cannot be reached: Django's SMTP backend, at a port nothing listens on."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
