"""Official PDFs through a document's life: rendered in the background once an edition or a
change is published, served from stable URLs to those who may read the page, stamped
"Жарамсыз" (as a separate file) once superseded, and never altered afterwards."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from sapa.documents import rendering as rendering_package
from sapa.documents.models import ChangeNotice, OfficialRendering, RenderingKind
from sapa.documents.rendering import render_edition, render_unit, units_of
from sapa.documents.services import edition_start_new
from tests.documents import helpers
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text, visit
from tests.documents.render_helpers import (
    KAZAKH_LETTERS,
    big_words,
    footer_lines,
    header_lines,
    page_texts,
    run_worker,
    stored_bytes,
)
from tests.factories.documents import ProcedurePageFactory, register_row

pytestmark = pytest.mark.django_db
ALL_LETTERS = "Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і: әріп, ғылым, қала, шаң, өнер, ұя, үй, һәм, іс."


def kk(message: str) -> str:
    """What the Kazakh page (the interface's default language) says for ``message``."""
    with translation.override("kk"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def renderings_root(settings, tmp_path):
    settings.SAPA_RENDERINGS_ROOT = tmp_path / "renderings"
    return tmp_path / "renderings"


def queued_editions() -> list[int]:
    return [
        row.args_kwargs["args"][0]
        for row in DBTaskResult.objects.filter(task_path__endswith="render_edition_task")
    ]


def publish(draft, user, capture):
    with capture(execute=True):
        return save_and_publish(draft, user)


@pytest.fixture
def published(kaznrtu_library, users, django_capture_on_commit_callbacks):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    publish(page, users["quality"], django_capture_on_commit_callbacks)
    return fresh(page)


def test_publication_queues_the_rendering_and_the_page_says_when_it_is_ready(published, client):
    edition = published.editions.get()
    assert queued_editions() == [edition.pk]
    html = visit(client, published).content.decode()
    assert kk("PDF is being prepared") in html
    waiting = visit(client, published, "editions/1/pdf/")
    assert waiting.status_code == 503 and kk("PDF is being prepared") in waiting.content.decode()

    run_worker()

    rendering = OfficialRendering.objects.get()
    assert (rendering.edition, rendering.change, rendering.kind) == (edition, None, "official")
    html = visit(client, published).content.decode()
    assert kk("PDF is being prepared") not in html
    assert rendering.sha256 in html and kk("Download the official PDF") in html
    assert f"{rendering.pages} бет" in html

    response = visit(client, published, "editions/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == rendering.sha256 == response["X-Content-SHA256"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "%E2%84%961%20%D0%B1%D0%B0%D1%81%D1%8B%D0%BB%D1%8B%D0%BC.pdf" in disposition
    assert f"%20{published.number}%20" in disposition  # "ҚазҰТЗУ 715 ҚП, №1 басылым.pdf"
    # Clients that read only filename= (curl -OJ, wget) get the name in Latin letters.
    assert f'filename="QazUTZU {published.number} QP, No1 basylym.pdf";' in disposition
    texts = page_texts(body)
    assert published.code in texts[0] and "Алматы 2016" in texts[0]


def test_changes_and_a_new_edition_each_get_their_pdf_and_the_old_one_is_stamped(
    published, users, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run_worker()
    first = OfficialRendering.objects.get()
    first_bytes = stored_bytes(first)

    draft = draft_of(published)
    set_clause_text(draft, "7.2", ALL_LETTERS)
    draft.register_entries = [register_row("1")]
    publish(draft, users["quality"], capture)
    run_worker()
    change = OfficialRendering.objects.get(change__change_number="1")
    assert change.kind == "official" and change.change_number == "1"
    data = stored_bytes(change)
    text = "".join(page_texts(data))
    for letter in KAZAKH_LETTERS:  # every Kazakh letter is text, no glyph is missing
        assert letter in text, letter
    assert ALL_LETTERS in text.replace("\n", " ")
    register_page = next(t for t in page_texts(data) if "реттік" in t)
    # The notice column prints the change notice Sapa issued, as the page does; the number
    # typed on the row ("№1, 12.09.2017") gives way to it.
    notice = ChangeNotice.objects.get(changes__change_number="1", document=published)
    assert f"1 7.2 өзгерту №{notice.number}, 15.09.2017" in register_page
    assert f"{notice.issued_on:%d.%m.%Y}" in register_page  # the notice's date, wrapped
    assert "№1, 12.09.2017" not in register_page
    html = visit(client, fresh(published)).content.decode()
    assert "editions/1/changes/1/pdf/" in html and change.sha256 in html
    served = visit(client, published, "editions/1/changes/1/pdf/")
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == change.sha256

    revision = edition_start_new(document=fresh(published), user=users["quality"])
    draft = revision.as_object()
    draft.edition_date = datetime.date(2020, 8, 20)
    draft.effective_date = datetime.date(2020, 9, 1)
    publish(draft, users["quality"], capture)
    run_worker()

    one, two = published.editions.order_by("pk")
    stamped = OfficialRendering.objects.filter(edition=one, kind=RenderingKind.SUPERSEDED)
    assert sorted(r.change_number for r in stamped) == ["", "1"]
    for copy in stamped:
        data = stored_bytes(copy)
        assert big_words(data) == ["Жарамсыз"] * copy.pages  # across every page
        # and no page calls it a controlled copy any more (a tester read both at once)
        assert set(footer_lines(data)) == {"Бақыланбайтын дана · жарамсыз"}
    # The official files are untouched; the new edition's official copy has no stamp.
    assert stored_bytes(first) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    official_two = OfficialRendering.objects.get(edition=two)
    data = stored_bytes(official_two)
    assert not any(big_words(data))
    total = official_two.pages
    line = f"{published.code} 2020 жылғы «20» 08 №2 басылым {total} беттің 2-беті"
    assert header_lines(data)[1] == line
    assert set(footer_lines(data)) == {"Бақыланатын дана"}

    # The superseded edition's URL now serves the stamped copy, named so.
    response = visit(client, published, "editions/1/pdf/")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stamped.get(change=None).sha256
    void = "%D0%B6%D0%B0%D1%80%D0%B0%D0%BC%D1%81%D1%8B%D0%B7.pdf"  # "…, жарамсыз.pdf"
    assert void in response["Content-Disposition"]
    superseded_page = visit(client, published, "editions/1/").content.decode()
    assert kk("Download the PDF (no longer valid)") in superseded_page


def test_a_stored_pdf_never_changes_whatever_the_templates_say_later(
    published, settings, tmp_path, monkeypatch, renderings_root
):
    (rendering,) = render_edition(published.editions.get())
    before = stored_bytes(rendering)

    # A later template, template version and font setting: nothing is rendered again.
    monkeypatch.setattr(rendering_package.store, "render_html", lambda subject: "<p>new</p>")
    monkeypatch.setattr(rendering_package.store, "TEMPLATE_VERSION", "99")
    settings.SAPA_PDF_FONT_DIR = str(tmp_path / "no-fonts")
    again = render_edition(published.editions.get())
    assert [r.pk for r in again] == [rendering.pk]
    assert stored_bytes(rendering) == before
    assert hashlib.sha256(before).hexdigest() == OfficialRendering.objects.get().sha256
    assert len(list(Path(renderings_root).rglob("*.pdf"))) == 1
    call_command("documents_render", "--missing")
    assert OfficialRendering.objects.count() == 1
    with pytest.raises(ValueError):
        rendering.save()


def test_a_rendering_that_cannot_be_recorded_leaves_no_file(
    published, monkeypatch, renderings_root
):
    def refuse(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(OfficialRendering.objects, "create", refuse)
    (unit,) = units_of(published.editions.get())
    with pytest.raises(RuntimeError):
        render_unit(unit)
    assert list(Path(renderings_root).rglob("*.pdf")) == []
    assert OfficialRendering.objects.count() == 0


def test_the_pdf_is_only_for_those_who_may_read_the_page(published, client, users):
    render_edition(published.editions.get())
    PageViewRestriction.objects.create(page=published, restriction_type="login")
    response = visit(client, published, "editions/1/pdf/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert visit(client, published, "editions/9/pdf/").status_code in (302, 404)
    client.force_login(users["staff"])
    assert visit(client, published, "editions/1/pdf/")["Content-Type"] == "application/pdf"
    assert visit(client, published, "editions/9/pdf/").status_code == 404
    assert visit(client, published, "editions/1/changes/5/pdf/").status_code == 404
    # A withdrawn (unpublished) document's PDF is no longer served.
    url = urlsplit(published.full_url)
    helpers.withdraw_in_admin(published, users["quality"])
    gone = client.get(url.path + "editions/1/pdf/", HTTP_HOST=url.netloc)
    assert gone.status_code == 404 and gone["Content-Type"].startswith("text/html")
