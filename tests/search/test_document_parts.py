"""The parts of a controlled document beyond its clauses, found in search as people name them:
the revision register (Өзгерістерді тіркеу парағы) and each of its rows, the approval sheet
(ӘЗІРЛЕНДІ, КЕЛІСІЛДІ, БЕКІТІЛДІ) and the forms list, each linked to its place on the page,
and hidden exactly as the document's clauses are."""

import re

import pytest
from wagtail.models import PageViewRestriction

from records.permissions import AUDITORS_GROUP
from search import indexing
from search.services import search_for
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8731"  # the demo under runserver: the universities by path, /kaznrtu/ …
HIT = re.compile(r'<li class="hit[^"]*"><a href="([^"]+)">(.*?)</a>', re.S)


@pytest.fixture
def procedure(indexed):
    return indexed["documents"][0]  # ҚазҰТЗУ 715 ҚП


def found(user, text, n=10, **kwargs):
    return [hit.entry for hit in search_for(user, text, limit=n, **kwargs).results.hits]


def plain(snippet) -> str:
    """A result's snippet as read, without its marks."""
    return re.sub("<[^>]+>", "", str(snippet))


def part(entries, document, role):
    return [e for e in entries if e["document_id"] == document.pk and e["role"] == role]


def search_page(client, text, language="kk"):
    response = client.get("/search/", {"q": text}, HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    return [
        (href.replace("&amp;", "&"), " ".join(re.sub("<[^>]+>", " ", label).split()))
        for href, label in HIT.findall(html)
    ]


def publish_change(page, user, number, clause, text, **row):
    draft = draft_of(page)
    set_clause_text(draft, clause, text)
    draft.register_entries = [
        *draft.register_entries.all(),
        register_row(number, section_clause=clause, **row),
    ]
    save_and_publish(draft, user)
    indexing.sync()
    return fresh(page)


def test_the_register_is_found_by_its_kazakh_name_before_the_clauses_naming_it(procedure):
    first = found(
        None, "өзгерістерді тіркеу парағы", filters={"organisation_id": procedure.organisation_id}
    )
    assert first[0]["entry_id"] == f"clause:{procedure.pk}:1:register"
    assert first[0]["url"].endswith("/docs/715-kp/#register")
    assert first[0]["clause"] == "Өзгерістерді тіркеу парағы"
    assert first[0]["status"] == "in_force" and first[0]["document_code"] == "ҚазҰТЗУ 715 ҚП"
    # without a filter both universities' registers come before any clause
    anyone = found(None, "өзгерістерді тіркеу парағы")
    assert [e["role"] for e in anyone[:2]] == ["register", "register"]


def test_the_register_is_found_by_its_russian_and_english_names(procedure):
    for query in ("регистрация изменений", "лист регистрации изменений", "revision register"):
        entries = found(None, query, n=3)
        assert part(entries, procedure, "register"), query
    # What a result shows of it is the register as its page prints it, not its name and
    # columns in three languages run together (what the Russian words were found in).
    page = search_for(None, "регистрация изменений", limit=5)
    entry = next(e for e in page.groups["clause"] if e["document_id"] == procedure.pk)
    assert "Өзгерістер тіркелмеген." in entry["snippet"]
    assert "Лист регистрации изменений" not in entry["snippet"]
    assert "Revision register" not in entry["snippet"]


def test_a_published_register_row_is_found_and_opens_at_its_row(procedure, indexed, client):
    quality = indexed["users"]["quality"]
    publish_change(procedure, quality, "1", "3.1.5", "Эдвайзер – оқытушы.", notice_number="17-Б")
    for query in ("3.1.5 өзгерту", "17-Б", "изменение 3.1.5"):
        entry = found(None, query, n=1)[0]
        assert (entry["role"], entry["anchor"]) == ("register_row", "register-1"), query
    entry = found(None, "3.1.5 өзгерту", n=1)[0]
    assert entry["clause"] == "Өзгерістерді тіркеу парағы, №1"
    assert "17-Б, 12.09.2017" in entry["text"] and "Аршабекова Г." in entry["text"]
    assert entry["url"].endswith("/docs/715-kp/#register-1")
    # found by its kind of change in Russian, it shows the row as printed, not the kind's
    # name in three languages
    row = next(
        e
        for e in search_for(None, "изменение 3.1.5", limit=1).groups["clause"]
        if e["role"] == "register_row"
    )
    assert "1 · 3.1.5 · өзгерту · 17-Б" in plain(row["snippet"])
    assert "modify" not in row["snippet"]
    # the register itself now lists the row instead of "no changes"
    register = part(found(None, "өзгерістерді тіркеу парағы"), procedure, "register")[0]
    assert "1 · 3.1.5 · өзгерту · 17-Б" in register["text"]
    assert "Өзгерістер тіркелмеген" not in register["text"]
    # the link lands on the row
    hits = search_page(client, "3.1.5 өзгерту")
    href, label = hits[0]
    assert href == "/kaznrtu/docs/715-kp/#register-1"
    assert label == "ҚазҰТЗУ 715 ҚП Өзгерістерді тіркеу парағы, №1"
    page = client.get(href.split("#")[0], HTTP_HOST=HOST).content.decode()
    assert re.search(r'<tr id="register-1">\s*<td>1</td>', page)


def test_a_person_of_the_approval_sheet_finds_it(procedure, client):
    entries = found(None, "Сауранбаева", n=3)
    approval = part(entries, procedure, "approval")
    assert approval and entries[0] is approval[0]
    assert approval[0]["url"].endswith("/docs/715-kp/#approval")
    assert "КЕЛІСІЛДІ" in approval[0]["text"] and "№254-Б бұйрығы" in approval[0]["text"]
    assert part(found(None, "кто согласовал", n=3), procedure, "approval")
    # found by its Russian name, it shows the sheet as printed, not that name
    sheet = next(
        e
        for e in search_for(None, "кто согласовал", limit=3).groups["clause"]
        if e["role"] == "approval" and e["document_id"] == procedure.pk
    )
    assert "ӘЗІРЛЕНДІ: Тәрбие және әлеуметтік жұмыс департаментінің" in sheet["snippet"]
    assert "Лист согласования" not in sheet["snippet"]
    assert "Approval sheet" not in sheet["snippet"]
    assert part(found(None, "Аршабекова әзірленді", n=3), procedure, "approval")
    # Asked with a verb in the past tense ("who agreed"), the verb finds its verbal noun
    # (келісті -> келісу, as in "Келісу парағы"): an approval sheet is among the first.
    assert "approval" in [e["role"] for e in found(None, "кім келісті", n=3)]
    href, label = search_page(client, "Сауранбаева")[0]
    assert href == "/kaznrtu/docs/715-kp/#approval"
    assert label == "ҚазҰТЗУ 715 ҚП Алғы сөз"
    page = client.get(href.split("#")[0], HTTP_HOST=HOST).content.decode()
    assert '<section id="approval" class="approval-sheet"' in page


def test_who_approved_a_document_named_by_its_title_finds_its_approval_sheet(indexed):
    """The sheet prints no title of its own: it is found as the document it belongs to is
    named ("the mentor's instruction", "procedure 715"), by a verb in any of its forms."""
    mentor = indexed["documents"][1]
    entries = found(None, "Ментор нұсқаулығын кім бекітеді", n=3)
    assert part(entries, mentor, "approval") == entries[:1]
    procedure = indexed["documents"][0]
    entries = found(None, "715 процедурасын кім келісті", n=3)
    assert part(entries, procedure, "approval") == entries[:1]
    # The register is found the same way, and the other document's sheets stay below.
    entries = found(None, "ментор нұсқаулығының өзгерістерді тіркеу парағы", n=3)
    assert part(entries, mentor, "register") == entries[:1]


def test_the_forms_list_is_found_by_its_heading_and_a_form_title(procedure):
    entry = found(None, "715 формалары", n=1)[0]
    assert (entry["document_id"], entry["role"]) == (procedure.pk, "forms")
    assert entry["url"].endswith("/docs/715-kp/#forms")
    assert "ҚазҰТЗУ 715-06 Ф Старосталар тізімі" in entry["text"]
    assert part(found(None, "Старосталар тізімі", types=("clause",)), procedure, "forms")
    assert part(found(None, "перечень форм", n=3), procedure, "forms")
    # What a result shows of it is its forms, not the list's name in three languages, also
    # when it was found by that name (a tester read "Формалар тізімі: Коды, Атауы … Перечень
    # форм: Код, Название … Forms list: Code, Title …" for it).
    for query in ("715 формалары", "перечень форм", "forms list"):
        page = search_for(None, query, limit=3)
        shown = plain(next(e for e in page.groups["clause"] if e["role"] == "forms")["snippet"])
        assert re.search(r"ҚазҰТЗУ 71\d-0\d [ҮФ] \w+", shown), query  # a form: code, title
        for label in ("Формалар тізімі", "Перечень форм", "Forms list", "Коды, Атауы"):
            assert label not in shown, (query, label)


def test_a_form_is_found_by_the_word_for_a_form_and_shows_only_its_own_words(procedure):
    # "The adviser's work plan form": 715-02's title names the plan, not a form, and the form
    # came after four clauses; нысан, форма and бланк are one term (a seeded group).
    for query in ("эдвайзердің жұмыс жоспары нысаны", "эдвайзердің жұмыс жоспары формасы"):
        page = search_for(None, query, limit=5)
        codes = [hit.entry["form_code"] for hit in page.results.hits[:3]]
        assert "ҚазҰТЗУ 715-02 Ү" in codes, (query, codes)
        form = next(e for e in page.groups["form"] if e["form_code"] == "ҚазҰТЗУ 715-02 Ү")
        for label in ("Форма", "шаблон", "template"):
            assert label not in plain(form["snippet"]), (query, label)
    # Asked in Russian, "бланк": the adviser's forms.
    codes = {h["form_code"] for h in found(None, "бланк эдвайзера", n=6, types=("form",))}
    assert {"ҚазҰТЗУ 715-02 Ү", "ҚазҰТЗУ 715-03 Ү"} <= codes
    # The forms list holds its document's name ("процедураның формалары" asks for it), but
    # shows its forms only.
    page = search_for(None, "процедураның формалары", limit=3)
    listed = next(e for e in page.groups["clause"] if e["role"] == "forms")
    shown = plain(listed["snippet"])
    assert "ҚазҰТЗУ 71" in shown and "құжатталған процедура" not in shown.lower()


def test_the_parts_of_a_restricted_document_are_hidden_like_its_clauses(procedure, indexed):
    """715 readable by the auditors' group only: neither its clauses nor its register, rows,
    approval sheet or forms list reach anyone else; АӨУ's register still does."""
    users = indexed["users"]
    publish_change(procedure, users["quality"], "1", "3.1.5", "Эдвайзер – оқытушы.")
    restriction = PageViewRestriction.objects.create(
        page=procedure, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([users["auditor"].groups.get(name=AUDITORS_GROUP)])
    queries = ("өзгерістерді тіркеу парағы", "3.1.5 өзгерту", "Сауранбаева", "715 формалары")
    for user in (None, users["staff"], users["quality"]):
        for query in queries:
            entries = found(user, query)
            assert not [e for e in entries if e["document_id"] == procedure.pk], (user, query)
        assert found(user, "өзгерістерді тіркеу парағы")[0]["role"] == "register"
    roles = set()
    for query in queries:
        roles |= {
            e["role"] for e in found(users["auditor"], query) if e["document_id"] == procedure.pk
        }
    assert {"register", "register_row", "approval", "forms"} <= roles


def test_a_superseded_editions_register_is_found_under_the_current(procedure, indexed, client):
    from sapa.documents.services import edition_start_new

    quality = indexed["users"]["quality"]
    publish_change(procedure, quality, "1", "3.1.5", "Эдвайзер – оқытушы.")
    draft = edition_start_new(document=fresh(procedure), user=quality).as_object()
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    save_and_publish(draft, quality)
    indexing.sync()

    registers = part(found(None, "өзгерістерді тіркеу парағы"), procedure, "register")
    # the old edition's register under the current one's, not a result of its own
    assert [(e["edition"], e["status"]) for e in registers] == [("№2 басылым", "in_force")]
    (current,) = registers
    (old,) = current["earlier"]
    assert (old["edition"], old["status"]) == ("№1 басылым", "superseded")
    assert "Өзгерістер тіркелмеген" in current["text"]  # a new edition, a new register
    assert "1 · 3.1.5 · өзгерту" in old["text"]
    assert old["url"].endswith("/docs/715-kp/editions/1/#register")
    row = part(found(None, "3.1.5 өзгерту"), procedure, "register_row")
    assert [(e["status"], e["url"].split("/docs/715-kp/")[1]) for e in row] == [
        ("superseded", "editions/1/#register-1")
    ]
    response = client.get(
        "/search/", {"q": "өзгерістерді тіркеу парағы"}, HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    # the old edition's register is named under the current one's, not a result of its own
    assert re.search(
        r'Also in a superseded edition: <a href="/kaznrtu/docs/715-kp/editions/1/#register">'
        r"Edition 1</a>",
        html,
    )
    page = client.get("/kaznrtu/docs/715-kp/editions/1/", HTTP_HOST=HOST).content.decode()
    assert 'id="register-1"' in page


def test_the_change_notice_issued_after_publication_reaches_the_rows_entry(procedure, indexed):
    """The notice is numbered once the publication has committed, after the document was
    queued for the index: issuing it queues the document again, so its row is found by the
    notice's number as the page prints it."""
    from sapa.documents.models import RegisterChange
    from sapa.documents.notices import notice_issue

    quality = indexed["users"]["quality"]
    publish_change(procedure, quality, "1", "3.1.5", "Эдвайзер – оқытушы.")
    row = RegisterChange.objects.get(edition__document=procedure, change_number="1")
    notice = notice_issue(change_ids=[row.pk], user=quality)  # what the commit callback does
    indexing.sync()
    entry = found(None, f"3.1.5 өзгерту {notice.number}", n=1)[0]
    assert entry["anchor"] == "register-1"
    assert f"№{notice.number}, {notice.issued_on:%d.%m.%Y}" in entry["text"]


def test_a_forms_new_title_reaches_the_forms_list_of_its_document(procedure, indexed):
    from sapa.documents.models import QmsForm

    form = QmsForm.objects.get(code="ҚазҰТЗУ 715-06 Ф")
    form.title = "Академиялық топ старосталарының тізімі"
    form.save()  # as the snippet editor saves it, with a revision
    form.save_revision(user=indexed["users"]["quality"])
    indexing.sync()
    forms = part(found(None, "715 формалары"), procedure, "forms")[0]
    assert "ҚазҰТЗУ 715-06 Ф Академиялық топ старосталарының тізімі" in forms["text"]
    assert "Старосталар тізімі" not in forms["text"]


@pytest.mark.parametrize(
    "query", ["форма плана работы эдвайзера", "эдвайзердің жұмыс жоспарының формасы"]
)
def test_the_form_whose_title_is_the_words_asked_for_comes_before_one_that_holds_them(
    procedure, query
):
    """A tester asked for the adviser's work plan form and got 713-03 «Топтардың
    эдвайзерлерінің тәрбие жұмысы жоспары» before 715-02 «Эдвайзердің жұмыс жоспары»: both
    hold every word, 715-02's title is nothing else."""
    forms = [e["form_code"] for e in search_for(None, query, limit=10).groups["form"]]
    assert "ҚазҰТЗУ 713-03 Ү" in forms, forms
    assert forms.index("ҚазҰТЗУ 715-02 Ү") < forms.index("ҚазҰТЗУ 713-03 Ү"), forms
