"""pdfplumber's page objects, made faster for the characters.

pdfplumber turns every pdfminer object of a page into a dict (``Page.process_object``): it
filters the object's attributes, runs ``resolve_all`` on each and decodes the colour
space's name, one character at a time. For a page of text that is about half the time of
reading it, as much as pdfminer's own interpretation of the page. ``fast_chars(page)`` makes
the page build the very same dict for a character directly: the same keys in the same
order, the same values (a character's attributes come from the content stream and from the
font pdfminer already resolved, so there is nothing to resolve; the colour space's name is
decoded once per name). Every other object (rules, curves, images) still goes through
pdfplumber's own code. ``tests/documents/test_import_pdf_objects.py`` compares both on the
corpus PDFs.
"""

from __future__ import annotations

from functools import lru_cache

from pdfminer.layout import LTChar
from pdfplumber.page import ALL_ATTRS, fix_fontname_bytes
from pdfplumber.utils import resolve_and_decode

_decode_name = lru_cache(maxsize=256)(resolve_and_decode)


def fast_chars(page) -> None:
    """Make ``page`` (a pdfplumber ``Page``, not yet parsed) build its characters' dicts
    directly; its ``objects``, ``chars``, ``edges`` … are the same as without."""
    if type(page).process_object is not _PLUMBER_PROCESS_OBJECT:
        return  # another pdfplumber than the one this was written for: leave it alone
    original = page.process_object
    number = page.page_number
    norm = page.pdf.unicode_norm
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    doctop = page.initial_doctop

    def process_object(obj):
        if type(obj) is not LTChar or norm is not None:
            return original(obj)
        attr = {k: v for k, v in obj.__dict__.items() if k in ALL_ATTRS}
        attr["object_type"] = "char"
        attr["page_number"] = number
        if hasattr(obj, "ncs"):
            attr["ncs"] = _decode_name(obj.ncs.name)
        if hasattr(obj, "scs"):  # pragma: no cover - pdfminer gives characters no scs
            attr["scs"] = _decode_name(obj.scs.name)
        attr["text"] = obj.get_text()
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):  # pragma: no cover - rare
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
        if "y0" in attr:
            attr["top"] = (height - attr["y1"]) + mb_top
            attr["bottom"] = (height - attr["y0"]) + mb_top
            attr["doctop"] = doctop + attr["top"]
        if "x0" in attr and mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr

    page.process_object = process_object


def _plumber_process_object():
    from pdfplumber.page import Page

    return Page.process_object


_PLUMBER_PROCESS_OBJECT = _plumber_process_object()
