"""What changed: a known edit of 715 (one clause modified, one added, one deleted) compared
clause by clause, the register rows proposed for it, and the public "what changed" pages.

Interface strings are read in English (Accept-Language: en); the document's words stay
Kazakh and are checked letter for letter."""

import copy
import re
import uuid

import pytest
from django.urls import reverse

from sapa.documents.compare import (
    ADDED,
    MODIFIED,
    MOVED,
    REMOVED,
    compare_bodies,
    draft_changes,
    mark_words,
    propose_register_rows,
)
from sapa.documents.models import RegisterChange
from tests.documents.helpers import (
    clause_texts,
    draft_of,
    fresh,
    save_and_publish,
    set_clause_text,
    visit,
)
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db

NEW_WORD = "Бекітілген"  # the first word of 7.2 ("Тағайындалған") becomes this
ADDED_TEXT = "Эдвайзер әр семестр сайын білім алушылармен кездесу өткізеді."


def modified_text(old: str) -> str:
    return old.replace(old.split()[0], NEW_WORD, 1)


def known_edit(draft):
    """7.2 reworded, a clause added at the end of section 7, one clause of section 10 that
    stands alone (a numbered block follows it) deleted. Returns (added, deleted) numbers."""
    set_clause_text(draft, "7.2", modified_text(clause_texts(draft)["7.2"]))
    raw = draft.body.raw_data
    for section in raw:
        content = section["value"]["content"]
        number = section["value"]["number"].strip().rstrip(".")
        clauses = [c for c in content if c["type"] == "clause"]
        if number == "7":
            last = clauses[-1]["value"]["number"].strip().rstrip(".")
            added = f"7.{int(last.split('.')[-1]) + 1}"
            content.append(
                {
                    "type": "clause",
                    "id": str(uuid.uuid4()),
                    "value": {"number": added, "title": "", "text": ADDED_TEXT, "items": ""},
                }
            )
        if number == "10":
            for i, child in enumerate(content):
                nxt = content[i + 1] if i + 1 < len(content) else None
                if child["type"] == "clause" and (nxt is None or nxt["type"] == "clause"):
                    deleted = child["value"]["number"].strip().rstrip(".")
                    del content[i]
                    break
    draft.body = raw
    return added, deleted


@pytest.fixture
def procedure(demo_content):
    return fresh(demo_content["documents"][0])


def test_words_are_marked_inside_a_modified_clause():
    marked = mark_words("Эдвайзер жыл сайын жасайды.", "Эдвайзер әр семестр сайын жасайды.")
    assert marked == "Эдвайзер <del>жыл</del><ins>әр семестр</ins> сайын жасайды."
    assert mark_words("a < b", "a < c") == "a &lt; <del>b</del><ins>c</ins>"


def test_a_known_edit_of_715_proposes_three_rows_of_the_right_kinds(procedure, demo_content):
    draft = draft_of(procedure)
    before = clause_texts(draft)
    added, deleted = known_edit(draft)
    draft.save_revision(user=demo_content["users"]["quality"])

    changes = {c.anchor: c for c in draft_changes(fresh(procedure))}
    assert {a: c.kind for a, c in changes.items()} == {
        "7.2": MODIFIED,
        added: ADDED,
        deleted: REMOVED,
    }
    first = before["7.2"].split()[0]
    assert f"<del>{first}</del><ins>{NEW_WORD}</ins>" in changes["7.2"].marked
    assert changes[deleted].old_text == before[deleted]

    rows = propose_register_rows(fresh(procedure))
    taken = [int(r.change_number) for r in draft.register_entries.all()]
    first = max(taken, default=0) + 1
    assert [(r.change_number, r.section_clause, r.change_type) for r in rows] == [
        (str(first), "7.2", "modify"),
        (str(first + 1), added, "add"),
        (str(first + 2), deleted, "delete"),
    ]
    assert [r.get_change_type_display() for r in rows] == ["өзгерту", "қосу", "жою"]


def test_a_clause_moved_to_another_section_is_moved_not_removed_and_added(procedure):
    raw = copy.deepcopy(list(procedure.body.raw_data))
    moved = next(c for c in raw[6]["value"]["content"] if c["type"] == "clause")
    raw[6]["value"]["content"].remove(moved)
    raw[7]["value"]["content"].append(moved)
    draft = draft_of(procedure)
    draft.body = raw
    kinds = {c.anchor: c.kind for c in compare_bodies(procedure.body, draft.body)}
    assert kinds == {moved["value"]["number"].strip().rstrip("."): MOVED}


def test_the_register_rows_link_to_what_changed_with_the_words_marked(
    procedure, demo_content, client
):
    users = demo_content["users"]
    draft = draft_of(procedure)
    old = clause_texts(draft)["7.2"]
    set_clause_text(draft, "7.2", modified_text(old))
    number = str(max([int(r.change_number) for r in draft.register_entries.all()], default=0) + 1)
    draft.register_entries = [*draft.register_entries.all(), register_row(number)]
    save_and_publish(draft, users["quality"])
    page = fresh(procedure)
    change = RegisterChange.objects.get(edition__document=page, change_number=number)

    html = visit(client, page, "", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = f"editions/{change.edition.url_key}/changes/{number}/diff/"
    assert f"What change {number} amended" in html and link in html

    diff = visit(client, page, link, HTTP_ACCEPT_LANGUAGE="en")
    assert diff.status_code == 200
    text = diff.content.decode()
    # its heading in words a reader says ("What changed in change 1" in English; "Что
    # внесло изменение 1", ungrammatical, in Russian)
    assert f"What change {number} amended" in text
    russian = visit(client, page, link, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"Что изменено изменением {number}" in russian and "Что внесло" not in russian
    # The row it comes from, its section and clause named so (a tester read "Register row:
    # 4" as the row's number, where 4 was the section).
    assert f"Change {number}: section and clause 7.2 (" in text
    assert f"<del>{old.split()[0]}</del><ins>{NEW_WORD}</ins>" in text
    assert len(re.findall(r'class="clause-change ', text)) == 1


def test_no_change_diff_without_an_earlier_published_text(procedure, client):
    assert visit(client, procedure, "editions/1/changes/99/diff/").status_code == 404
    assert visit(client, procedure, "editions/1/diff/").status_code == 404  # first edition


def test_a_private_documents_diff_asks_to_sign_in(procedure, client):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=procedure, restriction_type=PageViewRestriction.LOGIN)
    response = visit(client, procedure, "editions/1/diff/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_quality_office_adds_the_proposed_rows_to_the_draft(procedure, demo_content, client):
    users = demo_content["users"]
    draft = draft_of(procedure)
    added, deleted = known_edit(draft)
    draft.save_revision(user=users["quality"])
    url = reverse("documents_propose_rows", args=(procedure.pk,))

    client.force_login(users["staff"])
    assert client.get(url).status_code in (302, 403)

    client.force_login(users["quality"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Propose register rows" in page and "<td>add</td>" in page and added in page
    assert "қосу" not in page  # the kind of change in the reader's language (English here)
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    rows = {r.section_clause: r.change_type for r in draft_of(procedure).register_entries.all()}
    assert rows["7.2"] == "modify" and rows[added] == "add" and rows[deleted] == "delete"
    assert fresh(procedure).has_unpublished_changes  # still a draft, not published
    assert propose_register_rows(fresh(procedure)) == []  # nothing left to propose


def test_what_changed_in_a_new_edition_is_linked_and_marked(kaznrtu_library, users, client):
    import datetime

    from sapa.documents.services import edition_start_new
    from tests.factories.documents import ProcedurePageFactory

    page = ProcedurePageFactory(parent=kaznrtu_library)
    save_and_publish(page, users["quality"])
    old = clause_texts(fresh(page))["7.2"]
    draft = edition_start_new(document=fresh(page), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    set_clause_text(draft, "7.2", modified_text(old))
    save_and_publish(draft, users["quality"])
    page = fresh(page)

    html = visit(client, page, "", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What changed in this edition" in html and "editions/2/diff/" in html
    text = visit(client, page, "editions/2/diff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What changed in this edition" in text
    assert f"<del>{old.split()[0]}</del><ins>{NEW_WORD}</ins>" in text
    assert len(re.findall(r'class="clause-change ', text)) == 1


def test_the_page_editor_offers_to_propose_register_rows(procedure, demo_content, client):
    client.force_login(demo_content["users"]["quality"])
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(procedure.pk,)))
    assert reverse("documents_propose_rows", args=(procedure.pk,)) in editor.content.decode()


def test_two_published_changes_compare_clause_by_clause(kaznrtu_library, users):
    from sapa.documents.compare import compare_published
    from tests.factories.documents import ProcedurePageFactory

    page = ProcedurePageFactory(parent=kaznrtu_library)
    save_and_publish(page, users["quality"])
    for number, text in (("1", "Бірінші өзгеріс мәтіні."), ("2", "Екінші өзгеріс мәтіні.")):
        draft = draft_of(page)
        set_clause_text(draft, "7.2", text)
        draft.register_entries = [*draft.register_entries.all(), register_row(number)]
        save_and_publish(draft, users["quality"])
    first, second = RegisterChange.objects.filter(edition__document=page).order_by("pk")
    (change,) = compare_published(first, second)
    assert (change.anchor, change.kind) == ("7.2", MODIFIED)
    assert change.marked.startswith("<del>Бірінші</del><ins>Екінші</ins> өзгеріс мәтіні.<br>")
    assert compare_published(first.edition, first.edition) == []


def test_rows_are_not_added_to_a_page_locked_by_someone_else(procedure, demo_content, client):
    users = demo_content["users"]
    draft = draft_of(procedure)
    known_edit(draft)
    draft.save_revision(user=users["quality"])
    page = fresh(procedure)
    page.locked, page.locked_by = True, users["quality2"]
    page.save(update_fields=["locked", "locked_by"])
    before = len(draft_of(page).register_entries.all())

    client.force_login(users["quality"])
    url = reverse("documents_propose_rows", args=(page.pk,))
    answer = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the register rows were not added" in answer
    assert len(draft_of(page).register_entries.all()) == before


def _sections_shown_as_changed(live, draft) -> list[str]:
    from sapa.documents.compare_hooks import _ChangedSections

    stream = type(live)._meta.get_field("body").stream_block
    shown = _ChangedSections(stream, True, True, live.body, draft.body).get_block_comparisons()
    return [str(c.val_a.get("number")) for c in shown]


def test_an_untouched_abbreviations_table_is_not_shown_to_agreers_as_changed(procedure, users):
    """A new edition with no word changed: no section is shown as changed. Wagtail compared
    the sections' values, and the abbreviations table's list of rows equals no other list,
    not even itself read twice: section 3 was shown whole as changed. Rows as imported before
    (no ids) and as imported now (with ids) alike."""
    from sapa.documents.models import ControlledDocument
    from sapa.documents.services import edition_start_new

    imported = list(procedure.body.raw_data)
    tables = [
        child["value"]["rows"]
        for section in imported
        for child in section["value"]["content"]
        if child["type"] == "abbreviations"
    ]
    assert tables and all(row["type"] == "item" and row["id"] for row in tables[0])
    draft = edition_start_new(document=fresh(procedure), user=users["quality"]).as_object()
    assert _sections_shown_as_changed(fresh(procedure), draft) == []

    # Rows stored without ids, as the importer wrote them before.
    for section in imported:
        for child in section["value"]["content"]:
            if child["type"] == "abbreviations":
                child["value"]["rows"] = [row["value"] for row in child["value"]["rows"]]
    ControlledDocument.objects.filter(pk=procedure.pk).update(body=imported)
    draft = fresh(procedure).get_latest_revision_as_object()
    draft.body = copy.deepcopy(imported)
    assert _sections_shown_as_changed(fresh(procedure), draft) == []
    set_clause_text(draft, "7.2", modified_text(clause_texts(draft)["7.2"]))
    assert _sections_shown_as_changed(fresh(procedure), draft) == ["7"]
