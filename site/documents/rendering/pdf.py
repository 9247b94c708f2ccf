"""HTML -> PDF with WeasyPrint; fonts are embedded (subset) from the local font files."""

from __future__ import annotations

import io

from django.conf import settings


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``: one WeasyPrint pass, nothing fetched from the network (the only
    URLs are the font files, read from disk)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    out = io.BytesIO()
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        out, font_config=FontConfiguration()
    )
    return out.getvalue()


def page_count(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)
