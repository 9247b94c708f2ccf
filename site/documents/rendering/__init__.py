"""Official PDFs of published editions and changes, in the layout of the seeds.

``store`` decides what is rendered (once) and keeps it; ``html`` lays a revision out;
``pdf`` turns the HTML into PDF with WeasyPrint. Import from here."""

from .html import KIND_OFFICIAL, KIND_SUPERSEDED, TEMPLATE_VERSION, Subject, render_html
from .pdf import html_to_pdf
from .store import (
    Unit,
    download_name,
    missing_units,
    render_edition,
    render_unit,
    renderings_storage,
    unit_shown,
    units_of,
)

__all__ = [
    "KIND_OFFICIAL",
    "KIND_SUPERSEDED",
    "TEMPLATE_VERSION",
    "Subject",
    "Unit",
    "download_name",
    "html_to_pdf",
    "missing_units",
    "render_edition",
    "render_html",
    "render_unit",
    "renderings_storage",
    "unit_shown",
    "units_of",
]
