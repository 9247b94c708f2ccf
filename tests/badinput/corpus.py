"""The bad-input corpus: broken, hostile and lying files, made at test time from real PDFs.

Every entry is a ``Bad`` (a name for the test id, the bytes, the name it is uploaded under).
The bytes come from real documents: ҚазҰТЗУ 715 ҚП and the АӨУ «Ментор» instruction
(/work/shared/corpus/), the demo records' PDFs (home/demo_data/records/), pages written by
pypdfium2 and Pillow, a .docx written by python-docx. The one file that cannot be made here
without qpdf or pikepdf, a password-protected PDF, is kept in ``files/encrypted.pdf``
(made once with Ghostscript: ``gs -sDEVICE=pdfwrite -sOwnerPassword=… -sUserPassword=…
-dEncryptionR=3 -dKeyLength=128`` from 715-01_anyqtama.pdf; user password "user-sapa").
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PROCEDURE_PDF = SHARED / "corpus" / "kaznrtu_715_kp.pdf"
MENTOR_PDF = SHARED / "corpus" / "aru_mentor_kn.pdf"
RECORD_PDF = ROOT / "home" / "demo_data" / "records" / "715-02_edvaizer_zhospary.pdf"
ENCRYPTED_PDF = Path(__file__).parent / "files" / "encrypted.pdf"


@dataclass(frozen=True)
class Bad:
    id: str
    data: bytes
    name: str


def _pdf_bytes(document: pdfium.PdfDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def zero_pages() -> bytes:
    """A well-formed PDF whose page tree is empty (/Count 0)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def blank_pages(count: int) -> bytes:
    """A PDF of ``count`` empty A4 pages (a page count beyond the importer's limit)."""
    document = pdfium.PdfDocument.new()
    for _ in range(count):
        document.new_page(595, 842)
    return _pdf_bytes(document)


@functools.cache
def image_only(source: Path = MENTOR_PDF, pages: int = 2) -> bytes:
    """A scan: the first pages of a real document as pictures, no text layer."""
    document = pdfium.PdfDocument(str(source))
    images = [
        document[i].render(scale=100 / 72).to_pil().convert("L")
        for i in range(min(pages, len(document)))
    ]
    document.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    """The first 60 % of a real PDF, as a broken transfer leaves it."""
    return data[: len(data) * 6 // 10]


def corrupt(data: bytes) -> bytes:
    """A real PDF's signature followed by noise where its objects were."""
    noise = random.Random(715).randbytes(len(data) - 16)
    return data[:16] + noise


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def broken_png() -> bytes:
    """A PNG signature and header, then the file ends."""
    return png()[:40]


def png_bomb() -> bytes:
    """A tiny PNG that claims 30,000 × 30,000 pixels (900 million): a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 30001 * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:
        bundle.writestr("жоспар.txt", "Эдвайзердің жұмыс жоспары")
    return out.getvalue()


HTML = (
    b"<!DOCTYPE html><html><head><title>715</title></head><body>"
    b"<script>alert(document.cookie)</script><h1>\xd0\x96\xd0\xbe\xd1\x81\xd0\xbf\xd0\xb0\xd1\x80"
    b"</h1></body></html>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("ҚазҰТЗУ 715 ҚП", level=1)
    document.add_paragraph("Эдвайзер туралы ереже: бұл PDF емес, Word құжаты.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- names: long in BYTES, with path parts, control characters, NUL, bidi overrides ------

CJK_130 = "质" * 130  # 390 bytes of UTF-8 before the extension
KAZAKH_126 = ("Өзгерістердітіркеупарағы" * 6)[:126]  # 126 letters, 252 bytes + ".pdf"
KAZAKH_200 = "ә" * 200  # 400 bytes

HOSTILE_NAMES = {
    "cjk-130": CJK_130 + ".pdf",
    "kazakh-126": KAZAKH_126 + ".pdf",
    "kazakh-400-bytes": KAZAKH_200 + ".pdf",
    "long-extension": "жоспар." + "ә" * 140,
    "dot-dot-slash": "../../../etc/passwd.pdf",
    "windows-path": "..\\..\\Windows\\system32\\жоспар.pdf",
    "control": "жос\x1b[31mпар\x07.pdf",
    "bidi-override": "жоспар\u202efdp.exe",
    "zero-width": "жос\u200bпар\ufeff.pdf",
    "windows-reserved": "CON.pdf",
    "windows-reserved-2": "lpt1.txt.pdf",
    "leading-dots": "...жасырын.pdf",
    "only-dots": "....pdf",
}


def broken_pdfs(source: bytes) -> list[Bad]:
    """What no importer or record store can read, each with a name that says what it is."""
    return [
        Bad("empty", b"", "бос.pdf"),
        Bad("truncated", truncated(source), "үзілген.pdf"),
        Bad("corrupt", corrupt(source), "бүлінген.pdf"),
        Bad("encrypted", ENCRYPTED_PDF.read_bytes(), "құпиясөзді.pdf"),
        Bad("zero-pages", zero_pages(), "бетсіз.pdf"),
        Bad("png-as-pdf", png(), "сурет.pdf"),
        Bad("zip-as-pdf", zip_file(), "мұрағат.pdf"),
        Bad("html-as-pdf", HTML, "бет.pdf"),
        Bad("exe-as-pdf", EXE, "бағдарлама.pdf"),
        Bad("docx-as-pdf", docx(), "құжат.pdf"),
    ]
