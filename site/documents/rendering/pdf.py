"""HTML -> PDF with WeasyPrint; fonts are embedded (subset) from the local font files."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def html_to_pdf(html: str) -> Pdf:
    """The PDF of ``html``: one WeasyPrint layout, nothing fetched from the network (the
    only URLs are the font files, read from disk)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )
    return Pdf(data=document.write_pdf(), pages=len(document.pages))
