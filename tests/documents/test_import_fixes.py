"""The fixes the importer proposes (a Latin look-alike inside a Kazakh word, a code cut at a
line end) are accepted or refused one by one by the quality office before the draft exists;
the command applies them all with --accept-fixes."""

from __future__ import annotations

import io
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sapa.documents.importing import staging
from sapa.documents.importing.fixes import apply_fixes, propose
from sapa.documents.importing.pdf import parse_pdf
from sapa.documents.importing.textparse.checks import toc_cross_check
from sapa.documents.models import ControlledDocument
from tests.conftest import SHARED
from tests.documents.helpers import clause_texts

pytestmark = pytest.mark.django_db

SEED_715 = SHARED / "seeds" / "000_3e6beb1bcf47969b.txt"
MIXED = "ЖАҚСARTУ"  # section 10's heading as printed, with Latin A, R, T
FIXED = "ЖАҚСАРТУ"
CODE = "(ҚазҰТЗУ 715-01 Ү)"
CUT = "(ҚазҰТЗУ 715- 01 Ү)"  # the code as found, its line break read as a space
# The report's warning about the heading's word, as a Kazakh reader gets it.
MIXED_WARNING = (
    f"10-бөлім, тақырыбы: «{MIXED}» сөзінде латын әріптері (A, R, T) кириллицамен аралас; "
    "басылғандай сақталды"
)


def text_with_problems() -> str:
    """715 as the seed prints it (its heading ЖАҚСARTУ), with clause 5.2's form code cut at a
    line end, as an office file's text often has it."""
    text = SEED_715.read_text(encoding="utf-8")
    assert MIXED in text and CODE in text
    return text.replace(CODE, "(ҚазҰТЗУ 715-\n01 Ү)", 1)


def upload(client, library, name="715.txt"):
    data = text_with_problems().encode()
    return client.post(
        reverse("documents_import"),
        {"library": library.pk, "files": [SimpleUploadedFile(name, data)]},
    )


def review_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def accept_value(html: str, found: str) -> str:
    """The checkbox value of the proposal whose row shows ``found``."""
    rows = html.split('name="accept" value="')[1:]
    return next(row.split('"')[0] for row in rows if found in row.split("</tr>")[0])


def shown(html: str) -> str:
    """The page's text as read, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def section_titles(page) -> dict[str, str]:
    return {s.value["number"]: s.value["title"] for s in page.body}


def the_draft():
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    return page, page.get_latest_revision_as_object()


@pytest.fixture(autouse=True)
def uploads_root(settings, tmp_path):
    """A folder of this test's own for the uploads kept between the two steps."""
    settings.SAPA_IMPORT_UPLOADS_ROOT = tmp_path / "import-uploads"
    return settings.SAPA_IMPORT_UPLOADS_ROOT


@pytest.fixture
def quality(client, users):
    client.force_login(users["quality"])
    return client


def test_the_review_page_lists_each_fix_and_nothing_is_written_yet(quality, kaznrtu_library):
    url = review_url(upload(quality, kaznrtu_library))
    html = quality.get(url).content.decode()
    text = shown(html)
    assert f"«{MIXED}» → «{FIXED}»" in text
    assert "(A, R, T)" in text, "which letters are Latin"
    assert "«(ҚазҰТЗУ 715- 01 Ү» → «(ҚазҰТЗУ 715-01 Ү»" in text
    assert "Create the draft" in text or "Жобаны құру" in text
    assert html.count('type="checkbox" name="accept"') == 2
    assert html.count(" checked>") == 2, "every fix is ticked by default"
    assert not ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").exists()


def test_the_accepted_fix_is_applied_and_the_refused_one_left_as_found(
    quality, kaznrtu_library, settings
):
    url = review_url(upload(quality, kaznrtu_library))
    mixed_value = accept_value(quality.get(url).content.decode(), MIXED)
    response = quality.post(url, {"confirm": "", "accept": [mixed_value]})
    page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {FIXED}"
    assert "(ҚазҰТЗУ 715- 01 Ү)" in clause_texts(draft)["5.2"], "refused: kept as found"
    assert CODE not in clause_texts(draft)["5.2"]
    html = response.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    # The report says where, in the reader's language: "10-бөлім, тақырыбы", not "section 10".
    assert "10-бөлім, тақырыбы" in html and "section 10" not in html
    # The word was corrected: no warning of the report quotes it as printed any more (it
    # was in two: the word, and the heading matching the contents only when read in Cyrillic).
    assert MIXED_WARNING not in shown(html)
    warnings = shown(html.split('class="import-warnings"')[1].split("</ul>")[0])
    assert warnings.strip() and MIXED not in warnings
    assert not page.live
    assert list(staging.root().iterdir()) == [], "the upload is removed after the draft"


def test_accepting_the_code_and_refusing_the_word(quality, kaznrtu_library):
    url = review_url(upload(quality, kaznrtu_library))
    review = quality.get(url).content.decode()
    assert MIXED_WARNING in shown(review), "before the choice, the report says what it found"
    code = accept_value(review, "715- 01")
    response = quality.post(url, {"confirm": "", "accept": [code]})
    _page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {MIXED}", "as printed"
    assert CODE in clause_texts(draft)["5.2"]
    html = response.content.decode()
    warnings = shown(html.split('class="import-warnings"')[1].split("</ul>")[0])
    assert MIXED_WARNING in warnings, "refused: still kept as printed"
    assert warnings.count(f"{MIXED}»") == 2, "and the heading read against the contents"


def test_the_upload_is_read_once_and_the_draft_is_what_the_review_showed(
    quality, kaznrtu_library, monkeypatch
):
    """A long PDF takes seconds to read: the review page and the draft use what the upload
    read, not a new reading of the file (the reader itself runs, once)."""
    from sapa.documents.importing import service

    reads = []

    def counted(path, **kwargs):
        reads.append(path.name)
        return read_file(path, **kwargs)

    read_file = service.read_file
    monkeypatch.setattr(service, "read_file", counted)
    url = review_url(upload(quality, kaznrtu_library))
    quality.get(url)
    quality.post(url, {"confirm": "", "accept": [accept_value(quality.get(url).text, MIXED)]})
    assert reads == ["1.txt"]
    _page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {FIXED}"
    assert "(ҚазҰТЗУ 715- 01 Ү)" in clause_texts(draft)["5.2"], "refused: kept as found"


def test_cancel_writes_nothing_and_removes_the_upload(quality, kaznrtu_library):
    url = review_url(upload(quality, kaznrtu_library))
    assert len(list(staging.root().iterdir())) == 1
    response = quality.post(url, {"cancel": ""}, follow=True)
    assert not ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").exists()
    assert list(staging.root().iterdir()) == []
    messages = [str(m) for m in response.context["messages"]]
    assert messages and ("ештеңе" in messages[0] or "nothing" in messages[0])
    assert quality.get(url).status_code == 404, "the token is gone"


def test_another_user_cannot_see_or_confirm_the_upload(client, users, kaznrtu_library):
    client.force_login(users["quality"])
    url = review_url(upload(client, kaznrtu_library))
    client.force_login(users["quality2"])  # also the quality office, but not the uploader
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": ""}).status_code == 404
    assert client.post(url, {"cancel": ""}).status_code == 404
    assert not ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").exists()
    assert len(list(staging.root().iterdir())) == 1, "still there for its owner"
    client.force_login(users["staff"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(users["quality"])
    assert client.get(url).status_code == 200


def test_a_made_up_token_is_not_found(quality, kaznrtu_library):
    for token in ("x" * 32, "..", "%2e%2e%2fetc"):
        url = reverse("documents_import_review", args=("placeholder",)).replace(
            "placeholder", token
        )
        assert quality.get(url).status_code == 404


def test_an_upload_left_for_a_day_is_removed(quality, kaznrtu_library):
    url = review_url(upload(quality, kaznrtu_library))
    folder = staging.root() / token_of(url)
    old = time.time() - staging.MAX_AGE_SECONDS - 60
    os.utime(folder, (old, old))
    staging.purge_expired()
    assert not folder.exists()
    assert quality.get(url).status_code == 404


def test_a_file_without_proposals_is_imported_in_one_step(quality, kaznrtu_library, tmp_path):
    text = text_with_problems().replace(MIXED, FIXED).replace("715-\n01", "715-01")
    response = quality.post(
        reverse("documents_import"),
        {"library": kaznrtu_library.pk, "files": [SimpleUploadedFile("715.txt", text.encode())]},
    )
    assert response.status_code == 200
    page, _draft = the_draft()
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in response.content.decode()
    assert list(staging.root().iterdir()) == []


def run(*args):
    out = io.StringIO()
    call_command("documents_import", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_prints_the_proposals_and_keeps_the_text_by_default(
    tmp_path, kaznrtu_library, users
):
    path = tmp_path / "715.txt"
    path.write_text(text_with_problems(), encoding="utf-8")
    out = run(path, "--as", "quality")
    assert f"«{MIXED}» → «{FIXED}»" in out
    assert "«(ҚазҰТЗУ 715- 01 Ү» → «(ҚазҰТЗУ 715-01 Ү»" in out
    assert "--accept-fixes" in out
    _page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {MIXED}", "as today"
    assert CODE in clause_texts(draft)["5.2"], "as today: the reader glues the code"


def test_the_command_with_accept_fixes_applies_them(tmp_path, kaznrtu_library, users):
    path = tmp_path / "715.txt"
    path.write_text(text_with_problems(), encoding="utf-8")
    run(path, "--as", "quality", "--accept-fixes")
    _page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {FIXED}"
    assert CODE in clause_texts(draft)["5.2"]


def confirm_all(client, response):
    """After an upload: when the review step came, create the drafts with every fix."""
    if response.status_code != 302:
        return response
    url = response["Location"]
    html = client.get(url).content.decode()
    values = [part.split('"')[0] for part in html.split('name="accept" value="')[1:]]
    return client.post(url, {"confirm": "", "accept": values})


def test_several_files_are_reviewed_each_with_its_own_fixes(quality, kaznrtu_library):
    files = [
        SimpleUploadedFile("715.txt", text_with_problems().encode()),
        SimpleUploadedFile("bad.pdf", b"not a pdf at all"),
    ]
    response = quality.post(
        reverse("documents_import"), {"library": kaznrtu_library.pk, "files": files}
    )
    url = review_url(response)
    html = quality.get(url).content.decode()
    text = shown(html)
    assert "715.txt" in text and "bad.pdf" in text
    assert "PDF құжаты емес" in text, "the file that cannot be read says why, before anything"
    assert 'value="1:' in html and 'value="2:' not in html
    response = quality.post(url, {"confirm": "", "accept": [accept_value(html, MIXED)]})
    text = shown(response.content.decode())
    _page, draft = the_draft()
    assert section_titles(draft)["10"] == f"БАҒАЛАУ, ТАЛДАУ ЖӘНЕ {FIXED}"
    assert "bad.pdf" in text and "PDF құжаты емес" in text


def test_a_pdf_code_cut_at_a_line_end_is_proposed_and_can_be_refused(variant_pdfs):
    """A Word-made PDF whose "715-" ends a line: the reader glues it, and says so."""
    parsed = parse_pdf(variant_pdfs["broken_codes"])
    cut = {(p["found"], p["proposed"]) for p in parsed["proposals"] if p["kind"] == "broken_code"}
    assert ("(ҚазҰТЗУ 715- 01 Ү", "(ҚазҰТЗУ 715-01 Ү") in cut, cut

    def clause_52(result: dict) -> str:
        blocks = [b for s in result["sections"] for b in s["blocks"]]
        return next(b["text"] for b in blocks if b.get("number") == "5.2")

    assert CODE in clause_52(parsed), "as before: glued by the reader"
    assert CUT in clause_52(apply_fixes(parsed, set())), "refused: as found"
    assert CODE in clause_52(apply_fixes(parsed, None))


def test_a_heading_unlike_its_contents_entry_is_proposed_the_contents_wording():
    parsed = {
        "title": "Ментор",
        "toc": [{"number": "1", "title": "Міндеті және қолдану саласы", "page": "3"}],
        "sections": [
            {"number": "1", "title_as_printed": "МІНДЕТІ ЖӘНЕ ҚОЛДАНУ АЯСЫ", "blocks": []}
        ],
    }
    proposals = propose(parsed)
    assert [(p["kind"], p["found"], p["proposed"]) for p in proposals] == [
        ("heading_contents", "МІНДЕТІ ЖӘНЕ ҚОЛДАНУ АЯСЫ", "МІНДЕТІ ЖӘНЕ ҚОЛДАНУ САЛАСЫ")
    ]
    assert [p["id"] for p in propose(parsed)] == [p["id"] for p in proposals], "stable ids"
    parsed["proposals"] = proposals
    # The contents check's own warning about the heading, beside one the fix is not about.
    parsed["sections"][0]["number_as_printed"] = "1"
    (differs,) = toc_cross_check(parsed["toc"], parsed["sections"], set())
    assert "АЯСЫ" in differs and "саласы" in differs
    parsed["warnings"] = [differs, "another finding"]
    refused = apply_fixes(parsed, set())
    assert refused["sections"][0]["title_as_printed"].endswith("АЯСЫ")
    assert refused["warnings"] == [differs, "another finding"]
    accepted = apply_fixes(parsed, None)
    assert accepted["sections"][0]["title_as_printed"].endswith("САЛАСЫ")
    assert accepted["warnings"] == ["another finding"], "the fixed heading is no finding"


def test_a_warning_marks_what_it_quotes_as_the_documents_words_and_escapes_all():
    from sapa.documents.templatetags.documents_tags import quoting

    warning = "section 1: heading «<b>ЖАҚСARTУ</b>» & «Бағалау»"
    assert quoting(warning, "kk") == (
        'section 1: heading <span lang="kk">«&lt;b&gt;ЖАҚСARTУ&lt;/b&gt;»</span> &amp; '
        '<span lang="kk">«Бағалау»</span>'
    )
    assert (
        quoting(warning, "") == "section 1: heading «&lt;b&gt;ЖАҚСARTУ&lt;/b&gt;» &amp; «Бағалау»"
    )
