"""The two real seed documents, loaded as the demo loads them, read back the way staff read
them: header block, approval sheet, contents, body with anchors, forms, register."""

import json
import re

import pytest

from sapa.documents.models import ControlledDocument, FormCitation, QmsForm
from tests.conftest import SHARED
from tests.documents.helpers import visit

pytestmark = pytest.mark.django_db


def expected(name: str) -> dict:
    return json.loads((SHARED / "corpus" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def procedure(demo_content):
    return ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП").specific


@pytest.fixture
def mentor(demo_content):
    return ControlledDocument.objects.get(title="Ментор").specific


@pytest.fixture
def procedure_html(client, procedure):
    response = visit(client, procedure)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode("utf-8")


def test_header_block_and_approval_sheet(procedure_html):
    html = procedure_html
    assert "Құжатталған процедура" in html
    assert "ҚазҰТЗУ 715 ҚП" in html
    assert "2016 жылғы «08» 07 №1 басылым" in html
    assert "Білім алушыларға академиялық қолдау көрсету" in html
    assert "2-деңгейлі СМЖ күжаты" in html  # the printed typo is kept
    assert "Г.Аршабекова" in html and "«22» 06 2016 ж." in html
    assert "№254-Б" in html
    assert "Бірінші рет енгізілді" in html
    assert "жаңасын ауыстырғанға дейін" in html


def test_all_21_agreers_are_listed_with_their_dates(procedure, procedure_html):
    want = expected("kaznrtu_715_kp")["agreed_by"]
    lines = list(procedure.agreed_by.all())
    assert len(lines) == 21
    for line, entry in zip(lines, want, strict=True):
        assert (line.position, line.person, line.date.isoformat()) == (
            entry["position"],
            entry["name"],
            entry["date"],
        )
        assert entry["name"] in procedure_html


def test_every_section_and_clause_has_its_anchor(procedure_html):
    for section in expected("kaznrtu_715_kp")["sections"]:
        assert f'id="s-{section["number"]}"' in procedure_html
        assert f'href="#s-{section["number"]}"' in procedure_html  # contents link
        for unit in section["units"]:
            if re.fullmatch(r"\d+(\.\d+)+", unit):
                assert f'id="{unit}"' in procedure_html, unit


def test_kazakh_text_is_intact(procedure_html):
    html = procedure_html
    for word in (
        "жатақханалардағы",
        "Эдвайзер (Advisor)",
        "әлеуметтік-психологиялық",
        "қауылысымен",
    ):
        assert word in html
    assert "ЖАҚСARTУ" in html  # Latin A, R, T kept as printed
    assert "ТжӘДД" in html and "ТжӘЖД" in html
    assert "<p>ҚАЗ ҰТЗУ</p>" not in html and "&lt;p&gt;" not in html


def test_terms_abbreviations_and_references(procedure_html):
    assert (
        "<dfn>Эдвайзер (Advisor)</dfn>" in procedure_html or "<dfn>Эдвайзер</dfn>" in procedure_html
    )
    for row in expected("kaznrtu_715_kp")["abbreviations"]:
        assert f'<abbr title="{row["full"]}">{row["abbr"]}</abbr>' in procedure_html
    assert "9001:2009 ИСО ХС «Сапа менеджменті жүйесі Талаптар»." in procedure_html


def test_every_cited_form_is_a_form_object(procedure, procedure_html):
    codes = {
        entry["code"]: set(entry["clauses"]) for entry in expected("kaznrtu_715_kp")["form_codes"]
    }
    forms = QmsForm.objects.filter(organisation=procedure.organisation)
    assert set(forms.values_list("code", flat=True)) == set(codes)
    for code, clauses in codes.items():
        cited = set(FormCitation.objects.filter(form__code=code).values_list("clause", flat=True))
        assert cited == clauses, code
        assert code in procedure_html
    own = forms.get(code="ҚазҰТЗУ 715-06 Ф")
    assert own.owning_document_id == procedure.pk and own.kind == "Ф"
    assert forms.get(code="ҚазҰТЗУ 713-04 Ү").owning_document is None  # 713 is not in Sapa yet
    # Created by the publication, then titled and given its template by the demo: every
    # revision kept, the first as the publication made it.
    first, *_titled, latest = own.revisions.order_by("created_at", "pk")
    assert first.content["title"] == ""
    assert latest.content["title"] == own.title == "Старосталар тізімі"
    assert own.template_file_id is not None
    assert latest.content["template_file"] == own.template_file_id


def test_form_page_shows_where_it_is_cited(client, procedure):
    form = QmsForm.objects.get(code="ҚазҰТЗУ 715-02 Ү")
    html = visit(client, procedure.get_parent(), f"forms/{form.pk}/").content.decode()
    assert "ҚазҰТЗУ 715-02 Ү" in html
    assert 'href="/docs/715-kp/#6.1"' in html and 'href="/docs/715-kp/#7.2"' in html


def test_mentor_keeps_roman_sections_and_its_repeated_numbers(client, mentor):
    html = visit(client, mentor).content.decode()
    assert "Қызметтік нұсқаулық" in html and "2.0 нұсқа" in html
    for number in ("I", "II", "III", "IV", "V", "VI", "VII"):
        assert f'id="s-{number}"' in html
    section_vii = html[html.index('id="s-VII"') :]
    assert 'id="VII-6.1"' in section_vii and ">6.1</a>" in section_vii
    assert "Осы лауазымдық нұсқаулыққа өзгертулер" in section_vii
    assert 'id="6.1"' in html  # VI 6.1 keeps the plain anchor
    assert "күзiреттiлiктiң" in html  # Latin i kept
    assert "Л.Ч.Карабасова" in html
    assert [line.person for line in mentor.agreed_by.all()] == [
        "Н.Е.Қартжан",
        "Е.С. Тастанкулов",
        "Л.Б. Алиманова",
    ]


def test_library_lists_documents_in_force_and_filters(client, procedure, mentor):
    library = procedure.get_parent().specific
    html = visit(client, library).content.decode()
    assert "ҚазҰТЗУ 715 ҚП" in html and "ТжӘЖД" in html
    assert "Ментор" not in html  # another organisation's library
    jobs = visit(client, library, "?kind=job_instruction").content.decode()
    assert "ҚазҰТЗУ 715 ҚП" not in jobs
    unit = procedure.owning_unit
    by_unit = visit(client, library, f"?unit={unit.pk}").content.decode()
    assert "ҚазҰТЗУ 715 ҚП" in by_unit
    other_unit = unit.organisation.units.exclude(pk=unit.pk).first()
    assert "ҚазҰТЗУ 715 ҚП" not in visit(client, library, f"?unit={other_unit.pk}").content.decode()


def test_portal_lists_both_universities(client, demo_content):
    html = client.get("/", HTTP_HOST="localhost:8000").content.decode()
    assert "Қ.И.Сәтбаев атындағы Қазақ ұлттық техникалық зерттеу университеті" in html
    assert "Қ.Жұбанов атындағы Ақтөбе өңірлік университеті" in html
    page = client.get("/kaznrtu/docs/715-kp/", HTTP_HOST="localhost:8000")
    assert page.status_code == 200 and "ҚазҰТЗУ 715 ҚП" in page.content.decode()


def test_demo_is_safe_to_run_again(demo_content):
    from home.demo import load_demo

    load_demo()
    assert ControlledDocument.objects.count() == 2
    assert QmsForm.objects.count() == 12
