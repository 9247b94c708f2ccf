"""How a download is named (``Content-Disposition``, RFC 6266).

Django names a file whose name is not ASCII with ``filename*`` alone (RFC 5987, UTF-8), which
browsers read; clients that read only ``filename=`` (``curl -OJ``, ``wget
--content-disposition``, some mail gateways and download managers) then name the file after
the URL ("42", "pdf") or not at all. Here both are sent: ``filename*`` with the name as it is
("Хаттама_№3.pdf"), and ``filename=`` with its Latin transliteration (anyascii, which Wagtail
already uses for slugs: "Khattama_No3.pdf"). A name in ASCII is sent as Django sends it.
"""

from __future__ import annotations

from urllib.parse import quote

from anyascii import anyascii


def _quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')


# Left out of the Latin name: what Windows refuses in a file name, and the quote and the
# backslash, which would need escaping that some of those clients do not undo.
_NOT_IN_A_NAME = frozenset('\\/:*?"<>|')


def fallback_name(filename: str) -> str:
    """``filename`` in printable ASCII: its transliteration, less ``_NOT_IN_A_NAME``;
    "download" when nothing is left but an extension."""
    latin = "".join(
        ch for ch in anyascii(filename) if " " <= ch <= "~" and ch not in _NOT_IN_A_NAME
    )
    stem, dot, extension = latin.rpartition(".")
    if dot and not stem.strip(" ._-"):
        return f"download.{extension}"
    return latin if latin.strip(" ._-") else "download"


def content_disposition(filename: str, *, attachment: bool) -> str:
    """The header's value for ``filename``: "attachment" (saved) or "inline" (shown)."""
    kind = "attachment" if attachment else "inline"
    if filename.isascii():
        return f'{kind}; filename="{_quoted(filename)}"'
    return f"{kind}; filename=\"{fallback_name(filename)}\"; filename*=utf-8''{quote(filename)}"


def name_download(response, filename: str, *, attachment: bool = True):
    """``response`` (a FileResponse or any other) named ``filename``; returns it."""
    response["Content-Disposition"] = content_disposition(filename, attachment=attachment)
    return response
