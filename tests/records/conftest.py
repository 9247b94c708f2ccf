from pathlib import Path

import pytest

from tests.factories.records import build_world

DEMO_PDFS = Path(__file__).resolve().parents[2] / "home" / "demo_data" / "records"


@pytest.fixture
def world(kaznrtu_library, _lay):
    """Units, series and people of tests/factories/records.py (made once per session)."""
    return _lay("records world") or build_world(kaznrtu_library)


@pytest.fixture
def pdf_bytes():
    return (DEMO_PDFS / "715-02_edvaizer_zhospary.pdf").read_bytes()
