"""Searching the regulations and records as staff, keepers and auditors do (the embedded
tantivy backend, the default; tests/search_engine runs them again on the real engine)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from records.models import RecordStatus
from search import indexing
from search.backends import get_backend
from search.models import OutboxEntry
from search.services import home_organisation_ids, search_for
from tests.documents.helpers import fresh, save_and_publish, set_clause_text

pytestmark = pytest.mark.django_db


def top(user, text, n=3, **kwargs):
    return [hit.entry for hit in search_for(user, text, limit=n, **kwargs).results.hits]


def test_inflected_words_find_the_clause_and_mark_the_words_as_written(indexed):
    page = search_for(None, "жатақханалардағы орын", limit=5)
    anchors = [hit.entry["anchor"] for hit in page.results.hits]
    assert "4-жатақхана-беру" in anchors[:2]
    entry = next(e for e in page.groups["clause"] if e["anchor"] == "4-жатақхана-беру")
    assert (
        "<mark>жатақханалардан</mark>" in entry["snippet"]
        or "<mark>Жатақхана</mark>" in entry["snippet"]
    )
    assert entry["url"].endswith("/docs/715-kp/#4-жатақхана-беру")
    assert entry["status"] == "in_force" and entry["document_code"] == "ҚазҰТЗУ 715 ҚП"


def test_definition_question_with_an_equivalent_term_puts_the_definition_first(indexed):
    first = top(None, "куратор деген кім", n=1)[0]
    assert (first["document_code"], first["clause"]) == ("ҚазҰТЗУ 715 ҚП", "3.1.5")
    assert first["role"] == "definition"
    russian = top(None, "общежитие", n=5)
    assert any(e["anchor"] == "4-жатақхана-беру" for e in russian)


def test_a_word_held_as_typed_comes_before_its_equivalents(indexed):
    # A tester searched "жатақхана": the mentor's clauses that say "студенттер үйі" (its
    # equivalent) came first, the dormitory clause third.
    for typed in ("жатақхана", "жатакхана"):
        found = top(None, typed, n=10)
        saying_it = [e for e in found if "жатақхана" in (e["title"] + e["text"]).lower()]
        assert found[0]["anchor"] == "4-жатақхана-беру"
        assert found[: len(saying_it)] == saying_it
        # The equivalent still finds the mentor's clauses, after them.
        assert any(
            e["document_code"] != "ҚазҰТЗУ 715 ҚП" and "студенттер үй" in e["text"].lower()
            for e in found[len(saying_it) :]
        )


def test_an_equivalent_phrase_is_marked_only_where_its_words_stand_together(indexed):
    # "жатақхана": the mentor's clause says "студенттер үйінде" (its equivalent); a tester
    # saw every "студенттер" of every snippet marked.
    page = search_for(None, "жатақхана", limit=10)
    mentor = {e["clause"]: e["snippet"] for e in page.groups["clause"]}
    assert "<mark>Студенттер</mark> <mark>үйінде</mark> тұратын" in mentor["3.8"]
    assert "<mark>студенттеріне</mark>" not in mentor["3.8"]
    assert "студенттеріне ерекше" in mentor["3.8"]
    dormitory = next(e for e in page.groups["clause"] if e["anchor"] == "4-жатақхана-беру")
    assert "<mark>студенттердің</mark>" not in dormitory["snippet"]


def test_codes_and_abbreviations_are_words(indexed):
    assert top(None, "715-02", n=1)[0]["type"] == "form"
    assert top(None, "715-02", n=1)[0]["form_code"] == "ҚазҰТЗУ 715-02 Ү"
    assert top(None, "ТжӘЖД", n=1)[0]["clause"] == "3.2"
    assert top(None, "тжәжд", n=1)[0]["clause"] == "3.2"


def test_a_form_asked_for_by_its_title_comes_first(indexed):
    # A tester typed a form's title and found the form twentieth, after the clauses that
    # name such plans.
    for text in ("эдвайзердің жұмыс жоспары", "Эдвайзердин жумыс жоспары"):
        page = search_for(None, text)
        assert page.results.hits[0].entry["form_code"] == "ҚазҰТЗУ 715-02 Ү", text
        assert next(iter(page.groups)) == "form"


def test_a_code_nothing_holds_finds_nothing_rather_than_its_letters(indexed, demo_content):
    # A keeper asked for group "ВТ-24-1", which no record names, and got ВТ-18-1's minutes:
    # the records that hold "ВТ" alone.
    keeper = demo_content["users"]["keeper"]
    assert search_for(keeper, "ВТ-24-1").results.total == 0
    assert search_for(None, "715-99 нысаны").results.total == 0
    minutes = top(keeper, "ВТ-18-1", n=5)
    assert "ВТ-18-1 тобы" in minutes[0]["title"]
    # Typed as one thing, a code that an entry holds loses none of its parts: ВТ-25-1's
    # records, which hold "ВТ" alone, came after it (a tester).
    assert all("ВТ-18-1" in hit["title"] for hit in minutes), [h["title"] for h in minutes]
    # A code that entries hold still lets the other words go: a year no entry names.
    assert top(None, "715 ҚП 1999", n=1)[0]["document_code"] == "ҚазҰТЗУ 715 ҚП"


def test_records_only_for_those_who_may_see_them(indexed, demo_content):
    users = demo_content["users"]
    secret = next(r for r in demo_content["records"] if r.series.is_confidential)
    code = secret.form.code
    for role, sees_secret in (
        ("auditor", True),
        ("quality", True),
        ("keeper", True),
        ("staff", False),
        (None, False),
    ):
        page = search_for(users.get(role) if role else None, "анықтама", limit=50)
        ids = {hit.entry["entry_id"] for hit in page.results.hits}
        assert (f"record:{secret.pk}" in ids) == sees_secret, role
        # Not in the counts or the facets either: the form itself is public, its record not.
        assert page.results.facets["form_code"][code] == (2 if sees_secret else 1), role
        assert ("record" in page.results.facets["kind"]) == sees_secret, role
        assert page.results.total == len(ids), role


def test_changes_reach_the_index_through_the_outbox(indexed, demo_content):
    users = demo_content["users"]
    record = demo_content["records"][0]
    OutboxEntry.objects.all().delete()
    record.title = "Аккредитация комиссиясының хаттамасы"
    record._change_reason = "атауы түзетілді"
    record.save()
    assert list(OutboxEntry.objects.values_list("object_key", flat=True)) == [f"record:{record.pk}"]
    assert not top(users["auditor"], "комиссиясы", types=("record",))
    indexing.sync()
    assert (
        top(users["auditor"], "бару кестесі", types=("record",))[0]["entry_id"]
        == f"record:{record.pk}"
    )
    assert OutboxEntry.objects.count() == 0


def test_superseded_edition_is_found_under_the_current(indexed, demo_content):
    from sapa.documents.services import edition_start_new

    procedure = demo_content["documents"][0]
    users = demo_content["users"]
    draft = edition_start_new(document=fresh(procedure), user=users["quality"]).as_object()
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    save_and_publish(draft, users["quality"])
    indexing.sync()
    hits = top(None, "тағайындалған эдвайзер жасайды", n=5)
    current = [h for h in hits if h["clause"] == "7.2"]
    assert [(h["edition"], h["status"]) for h in current] == [("№2 басылым", "in_force")]
    (old,) = current[0]["earlier"]  # named under the clause in force, not listed again
    assert (old["edition"], old["status"]) == ("№1 басылым", "superseded")
    assert "/editions/1/#7.2" in old["url"]


def test_disposed_record_text_leaves_the_index(indexed, demo_content):
    record = next(
        r
        for r in demo_content["records"]
        if r.status == RecordStatus.CLOSED and not r.series.is_confidential
    )
    auditor = demo_content["users"]["auditor"]
    assert top(auditor, "хаттамасы", types=("record",))
    record.status = RecordStatus.DISPOSED
    record.description = ""
    record._change_reason = "жойылды"
    record.save()
    indexing.sync()
    hits = top(auditor, "Күн тәртібі", types=("record",))
    assert all(h["entry_id"] != f"record:{record.pk}" for h in hits)


def test_search_command_prints_json(indexed):
    out = io.StringIO()
    call_command("search", "эдвайзер", "--json", "--limit", "3", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 3
    assert set(rows[0]) == {"type", "document_code", "clause", "title", "url", "score"}


def test_verify_reports_drift(indexed, demo_content, capsys):
    call_command("search_index", "verify")
    assert "MISSING" not in capsys.readouterr().out
    backend = get_backend()
    backend.delete_object(f"record:{demo_content['records'][0].pk}")
    with pytest.raises(CommandError) as stopped:
        call_command("search_index", "verify")
    assert stopped.value.returncode == 1
    assert str(stopped.value) == kk(
        "The %(backend)s search index does not match the database: the entries "
        "listed above are missing, stale or orphaned."
    ) % {"backend": backend.name}
    assert "іздеу индексі" in str(stopped.value)
    assert f"MISSING record:{demo_content['records'][0].pk}" in capsys.readouterr().out


def test_the_nightly_regroup_keeps_what_is_found_and_says_what_it_did(indexed, demo_content):
    auditor = demo_content["users"]["auditor"]
    asked = [("хаттамасы", ("record",)), ("эдвайзер", ("clause", "form", "record"))]
    before = [top(auditor, text, n=20, types=types) for text, types in asked]
    assert all(before)
    backend = get_backend()
    if not hasattr(backend, "regroup"):
        out = io.StringIO()
        call_command("search_index", "regroup", stdout=out)
        assert out.getvalue().strip() == kk(
            "The %(backend)s index keeps its own order: nothing to regroup."
        ) % {"backend": backend.name}
        return
    indexed_now = len(backend.all_versions())
    with translation.override("en"):
        call_command("search_index", "regroup", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == f"{indexed_now} entries regrouped in the tantivy index"
    assert [top(auditor, text, n=20, types=types) for text, types in asked] == before
    call_command("search_index", "regroup", stdout=(again := io.StringIO()))
    assert again.getvalue().strip() == kk(
        "Nothing was written to the %(backend)s index since it was last regrouped."
    ) % {"backend": "tantivy"}


def kk(message: str) -> str:
    """What the Kazakh page (the interface's default language) says for ``message``."""
    with translation.override("kk"):
        return translation.gettext(message)


def test_search_page_groups_facets_and_suggestions(client, indexed):
    html = client.get("/search/", {"q": "эдвайзер"}).content.decode()
    assert kk("Regulations") in html and kk("Forms") in html
    assert kk("Organisation") in html and "ҚазҰТЗУ" in html
    nothing = client.get("/search/", {"q": "ҚазҰТЗУ 751 ҚП"}).content.decode()
    assert kk("Nothing found.") in nothing and "ҚазҰТЗУ 715 ҚП" in nothing


def test_kazakh_letters_survive_the_index(indexed):
    hit = top(None, "әлеуметтік-психологиялық", n=1)[0]
    assert "әлеуметтік-психологиялық" in hit["text"]


def test_the_quality_office_edits_equivalent_terms(indexed):
    from search.models import SynonymGroup

    assert (
        not top(None, "тәлімгерлер", n=3) or top(None, "тәлімгерлер", n=1)[0]["anchor"] != "3.1.6"
    )
    SynonymGroup.objects.create(terms="call-центр\nанықтама қызметі")
    assert top(None, "анықтама қызметі", n=1)[0]["anchor"] == "3.1.6"


def test_admin_shows_a_records_index_entries_and_reindexes(client, indexed, demo_content):
    users = demo_content["users"]
    record = demo_content["records"][0]
    url = f"/admin/search/index/record:{record.pk}/"
    client.force_login(users["quality"])
    html = client.get(url).content.decode()
    assert f"record:{record.pk}" in html and "fresh" in html
    record.title = "Аккредитация комиссиясының хаттамасы"
    record._change_reason = "түзетілді"
    record.save()
    assert "stale" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert "fresh" in client.get(url).content.decode()
    document = demo_content["documents"][0]
    page = client.get(f"/admin/search/index/document:{document.pk}/").content.decode()
    assert f"clause:{document.pk}:1:3.1.5" in page
    client.force_login(users["auditor"])
    assert client.get(url).status_code in (302, 403)


def test_auditors_find_records_by_the_text_of_their_files(client, indexed, demo_content):
    users = demo_content["users"]
    client.force_login(users["auditor"])
    html = client.get(
        "/records/", {"q": "старостасы"}
    ).content.decode()  # inflected; PDF says старосталар
    starosta = next(r for r in demo_content["records"] if r.form and r.form.number == "715-06")
    assert starosta.identifier in html
    others = [
        r
        for r in demo_content["records"]
        if r.pk != starosta.pk and not (r.form and r.form.number == "715-03")
    ]
    assert all(r.identifier not in html for r in others)
    client.force_login(users["staff"])
    assert starosta.identifier not in client.get("/records/", {"q": "старостасы"}).content.decode()


def entry(n, text, **fields):
    from search.schema import Entry

    values = {"organisation_id": 1, "unit_id": 1, "series_id": 1, "year": 2024, "status": "closed"}
    return Entry(
        entry_id=f"record:{n}",
        type="record",
        title=f"ҚазҰТЗУ 715-02 Ү/2024/{n:03d}",
        text=text,
        url=f"/records/{n}/",
        kind="record",
        **(values | fields),
    ).finish()


def test_a_second_process_sees_what_the_first_indexed(tmp_path):
    """A reader in another process reloads when a writer commits."""
    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    writer = TantivyBackend(tmp_path / "index")
    reader = TantivyBackend(tmp_path / "index")
    query = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True))
    assert reader.search(query).total == 0
    writer.upsert([entry(1, "Жатақханада орын беру туралы өтініш")])
    found = reader.search(query)
    assert [h.entry["entry_id"] for h in found.hits] == ["record:1"]
    assert found.facets["year"] == {2024: 1}
    writer.delete_object("record:1")
    assert reader.search(query).total == 0


def test_staff_never_get_records_even_when_they_match_best(tmp_path):
    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    backend = TantivyBackend(tmp_path / "index")
    backend.upsert(
        [entry(1, "Эдвайзер эдвайзер эдвайзер", confidential=True), entry(2, "Эдвайзер жоспары")]
    )
    keeper = RecordScope(unit_ids=(2,), series_ids=(1,))
    found = backend.search(SearchQuery(words=[["эдвайзер"]], records=keeper, candidates=True))
    assert [h.entry["entry_id"] for h in found.hits] == ["record:2"]
    assert found.total == 1 and found.facets["unit_id"] == {1: 1}
    assert backend.search(SearchQuery(words=[["эдвайзер"]], records=RecordScope())).total == 0


def test_paging_through_results_never_repeats_or_skips_an_entry(indexed):
    whole = [h.entry["entry_id"] for h in search_for(None, "студент", limit=100).results.hits]
    paged = []
    for page in range(5):
        hits = search_for(None, "студент", limit=20, offset=20 * page).results.hits
        paged += [h.entry["entry_id"] for h in hits]
    assert len(whole) > 60
    assert paged == whole


def test_an_entry_filed_after_a_deletion_never_inherits_the_deleted_ones_permissions(tmp_path):
    """A reader in another process must not give a new record the unit and confidentiality of
    a deleted one."""
    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    writer = TantivyBackend(tmp_path / "index")
    reader = TantivyBackend(tmp_path / "index")
    writer.upsert([entry(1, "Жатақхана өтініші", unit_id=1, confidential=True)])
    keeper_of = {unit: RecordScope(unit_ids=(unit,)) for unit in (1, 2)}
    words = [["жатақхана"]]
    assert reader.search(SearchQuery(words=words, records=keeper_of[1])).total == 1
    writer.delete_object("record:1")
    writer.upsert([entry(2, "Жатақхана өтініші", unit_id=2)])
    assert reader.search(SearchQuery(words=words, records=keeper_of[1])).total == 0
    found = reader.search(SearchQuery(words=words, records=keeper_of[2]))
    assert [h.entry["entry_id"] for h in found.hits] == ["record:2"]


def test_an_upgrade_starts_a_new_index_and_the_rebuild_removes_the_old_one(tmp_path):
    """An index of an earlier schema is never read (its fields differ): the upgraded Sapa
    opens an empty index of its own until `search_index rebuild`, which removes the old."""
    import os

    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    where = tmp_path / "index"
    (where / "v1-0000-old").mkdir(parents=True)
    (where / "v1-0000-old" / "meta.json").write_text("{}")
    os.symlink("v1-0000-old", where / "current")
    backend = TantivyBackend(where)
    query = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True))
    assert backend.search(query).total == 0
    backend.rebuild([entry(1, "Жатақханада орын беру")])
    assert backend.search(query).total == 1
    assert not (where / "v1-0000-old").exists()


def test_an_index_folder_copied_following_its_link_still_answers(tmp_path):
    """`cp -r` or a test's copy of the var folder turns the `current` link into a directory:
    the copy is adopted (its fields are this schema's), not a server error on every search."""
    import shutil

    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    TantivyBackend(tmp_path / "index").rebuild([entry(1, "Жатақханада орын беру")])
    shutil.copytree(tmp_path / "index", tmp_path / "copy")
    assert not (tmp_path / "copy" / "current").is_symlink()
    copy = TantivyBackend(tmp_path / "copy")
    query = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True))
    assert [h.entry["entry_id"] for h in copy.search(query).hits] == ["record:1"]
    assert (tmp_path / "copy" / "current").is_symlink()
    copy.upsert([entry(2, "Жатақхана кезегі")])
    assert copy.search(query).total == 2


def test_a_copied_index_whose_fields_changed_type_is_not_adopted(tmp_path):
    """A copy made by an older Sapa: its ``version`` an indexed field, what a result shows in
    fields of their own (now packed into one). Adopted, no result could be read back; it
    goes, and the search answers from an empty index until ``search_index rebuild``, without
    an error."""
    import tantivy

    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import FIELDS, TantivyBackend

    builder = tantivy.SchemaBuilder()
    for name, kind in FIELDS.items():
        if kind in ("int", "bool"):
            builder.add_integer_field(name, stored=True, indexed=True)
        elif kind in ("text", "stored"):
            builder.add_bytes_field(name, stored=True)
        else:
            builder.add_text_field(name, stored=True)
    copied = tmp_path / "copy" / "current"  # as `cp -r` leaves the link: a directory
    copied.mkdir(parents=True)
    writer = tantivy.Index(builder.build(), str(copied)).writer(15_000_000, 1)
    writer.add_document(
        tantivy.Document(entry_id="record:1", type="record", keys="жатақхана", version="v1")
    )
    writer.commit()
    writer.wait_merging_threads()

    copy = TantivyBackend(tmp_path / "copy")
    query = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True))
    assert copy.search(query).total == 0
    copy.upsert([entry(2, "Жатақхана кезегі")])
    assert [h.entry["entry_id"] for h in copy.search(query).hits] == ["record:2"]
    assert copy.all_versions() == {"record:2": entry(2, "Жатақхана кезегі").version}


def test_what_a_result_shows_is_read_back_as_it_was_written(tmp_path):
    """The shown fields are packed into one stored value: every one comes back whole and in
    its place, Kazakh letters, separators and control characters in the text included, and an
    empty one stays empty."""
    from dataclasses import replace

    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend

    written = replace(
        entry(7, "Жатақханаға орын беру\x1f\x00 тізімі: ә ғ қ ң ө ұ ү һ і"),
        title="ҚазҰТЗУ 715-02 Ү/2024/007 \x1e «Өтініш»",
        url="",
        anchor="5.3.1",
        section="5-әлеуметтік-қолдау",
    )
    backend = TantivyBackend(tmp_path / "index")
    backend.upsert([written])
    query = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True))
    (hit,) = backend.search(query).hits
    for name in ("title", "text", "url", "anchor", "section", "clause"):
        assert hit.entry[name] == (getattr(written, name) or ""), name
    assert backend.all_versions() == {"record:7": written.version}


def test_a_deleted_entry_leaves_no_text_in_the_index_files(tmp_path):
    """A destroyed record's words must not survive in the index files."""
    from search.backends.tantivy_index import TantivyBackend

    backend = TantivyBackend(tmp_path / "index")
    backend.upsert([entry(n, f"Қасымов Айдар, анықтама нөмірі {n}") for n in range(1, 40)])
    for n in range(1, 40):
        backend.delete_object(f"record:{n}")
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert "Қасымов Айдар".encode() not in stored


@pytest.mark.parametrize("typed", ["zhatakhana beru", "jataqhana beru", "Zhatakhana"])
def test_typed_in_latin_letters_the_dormitory_clause_comes_first(indexed, typed):
    """Kazakh in Latin letters, informal (zh, kh) or in the 2021 alphabet (j, q): read as the
    words typed without Kazakh letters, matched by the same loose keys, and marked as
    written."""
    page = search_for(None, typed, limit=5)
    assert page.results.hits[0].entry["anchor"] == "4-жатақхана-беру"
    assert not page.by_meaning  # found by its words, not by the model's guess
    # (marked in the clause's text: its snippet no longer repeats its heading, «Жатақхана беру»)
    assert "<mark>жатақхана" in page.groups["clause"][0]["snippet"].lower()


def test_typed_in_latin_letters_the_adviser_is_found(indexed):
    """A tester's "edvaizer kim tagaiyndalady" found nothing at all."""
    page = search_for(None, "edvaizer kim tagaiyndalady", limit=5)
    assert page.results.total
    assert any("эдвайзер" in (hit.entry["text"] or "").lower() for hit in page.results.hits)


def test_typed_without_kazakh_letters_the_dormitory_clause_comes_first_and_is_marked(indexed):
    # "жатакхана беру" on a Russian keyboard, for "жатақхана беру".
    page = search_for(None, "жатакхана беру", limit=5)
    first = page.results.hits[0].entry
    assert first["anchor"] == "4-жатақхана-беру"
    entry = page.groups["clause"][0]
    assert "<mark>Жатақхана</mark>" in entry["snippet"] or "<mark>жатақхана" in entry["snippet"]
    assert "жатакхана" not in entry["snippet"].lower()  # shown as written, never folded
    # Inflected the same way, typed either way: the same clauses come first.
    typed = [e["anchor"] for e in top(None, "жатакханага орын", n=2)]
    proper = [e["anchor"] for e in top(None, "жатақханаға орын", n=2)]
    assert typed == proper and "4-жатақхана-беру" in typed


def test_a_question_with_the_adjective_finds_the_clause_with_its_abstract_noun(indexed):
    # "Is the mentor's work effective?": the instruction states the measures of "ментор
    # жұмысының тиімділігінің" (its effectiveness), a word the question never types.
    page = search_for(None, "ментор жұмысы тиімді ме", limit=5)
    first = page.groups["clause"][0]
    assert page.results.hits[0].entry["anchor"] == "2.5"
    assert "<mark>тиімділігінің</mark>" in first["snippet"]


def test_a_noun_finds_the_verb_the_noun_makes(indexed):
    # "баға" (a mark) where the instruction writes "бағалау" (assess): 5.5, the mentor's
    # work assessed every month, comes first, its word marked.
    page = search_for(None, "ментор қызметіне баға", limit=5)
    assert page.results.hits[0].entry["anchor"] == "5.5"
    assert "<mark>бағалау</mark>" in page.groups["clause"][0]["snippet"]


def test_a_code_typed_without_kazakh_letters_finds_its_document_and_is_marked(indexed):
    # "715 КП" on a Russian keyboard, for 715 ҚП: the approval sheet of 715 first, as when
    # typed properly, and the code marked as printed.
    typed = search_for(None, "715 КП бекитилген буйрык", limit=5)
    proper = search_for(None, "715 ҚП бекітілген бұйрық", limit=5)
    assert [h.entry["entry_id"] for h in typed.results.hits[:3]] == [
        h.entry["entry_id"] for h in proper.results.hits[:3]
    ]
    assert typed.results.hits[0].entry["role"] == "approval"
    assert typed.results.hits[0].entry["document_code"] == "ҚазҰТЗУ 715 ҚП"
    assert "<mark>ҚазҰТЗУ 715 ҚП</mark>" in typed.groups["clause"][0]["snippet"]
    abbreviation = search_for(None, "ТжАЖД", limit=5)
    assert abbreviation.results.hits[0].entry["anchor"] == "3.2"
    assert "<mark>ТжӘЖД</mark>" in abbreviation.groups["clause"][0]["snippet"]


def test_a_word_typed_with_kazakh_letters_never_matches_through_folding(tmp_path):
    from search.backends.tantivy_index import TantivyBackend
    from search.schema import Entry

    backend = TantivyBackend(tmp_path / "fold")
    backend.rebuild(
        [
            Entry(
                entry_id="clause:1:1:a", type="clause", title="", text="Қол қою", url="/a"
            ).finish(),
            Entry(
                entry_id="clause:1:1:b", type="clause", title="", text="Кол орталығы", url="/b"
            ).finish(),
        ]
    )
    exact = [e["url"] for e in top(None, "қол", n=5, backend=backend)]
    assert exact == ["/a"]
    # Typed without its letter, "кол" finds both: the word as written first, the folded one
    # (қол) after it, at a lower weight.
    loose = [e["url"] for e in top(None, "кол", n=5, backend=backend)]
    assert loose == ["/b", "/a"]


def test_closeness_in_meaning_orders_only_entries_holding_as_many_words(tmp_path):
    """With the meaning extra, ``rank`` is told how close the question is to each clause: it
    decides between entries that hold as many of the question's words, never lifting one
    that holds fewer over one that holds more; without it the words' BM25 decides."""
    from search.backends.base import RecordScope, SearchQuery
    from search.backends.tantivy_index import TantivyBackend
    from search.ranking import rank

    backend = TantivyBackend(tmp_path / "index")
    backend.upsert(
        [
            entry(1, "Эдвайзер есепті семестр соңында тапсырады, есепті кафедра қарайды"),
            entry(2, "Эдвайзер есепті тапсырады"),
            entry(3, "Эдвайзер жоспары"),
        ]
    )
    words = [["эдвайзер"], ["есеп"]]
    found = backend.search(
        SearchQuery(
            words=words, required_words=1, records=RecordScope(everything=True), candidates=True
        )
    )
    stats = backend.stats(["эдвайзер", "есеп"], [])

    def order(closeness=None):
        return [h.entry["entry_id"] for h in rank(found.hits, words, stats, closeness=closeness)]

    by_words = order()
    assert by_words[2] == "record:3"  # one word of two: last
    first, second = by_words[:2]
    # The other of the two holding both words, much closer in meaning, comes first; the
    # entry holding one word stays last however close it is.
    assert order({second: 0.95, first: 0.80, "record:3": 0.99}) == [second, first, "record:3"]
    # Alike in meaning: the words' order stands.
    assert order({first: 0.90, second: 0.90, "record:3": 0.90}) == by_words


def test_a_word_said_twice_ranks_above_it_said_once_however_its_keys_stand():
    """Ranking counts each key of an entry whole: a word said twice side by side, and a phrase
    said twice where its two sayings overlap, weigh more than the same said once in an entry
    as long (a count that took two neighbours for one put them level, and the entry id
    decided)."""
    from search.backends.base import Hit, Stats
    from search.ranking import rank

    def order(words, *entries):
        hits = [Hit(entry={"entry_id": i, "keys": keys}, score=0.0) for i, keys in entries]
        return [hit.entry["entry_id"] for hit in rank(hits, words, stats)]

    stats = Stats(
        entries=100,
        average_length=5.0,
        frequency={"сабақ": 10, "бір екі бір": 5},
        loose_frequency={},
    )
    assert order(
        [["сабақ"]],
        ("a", "сабақ жоспар кесте тізім бақылау"),
        ("b", "жоспар сабақ сабақ кесте тізім"),
    ) == ["b", "a"]
    assert order(
        [["бір екі бір"]],
        ("a", "бір екі бір үш төрт"),
        ("b", "бір екі бір екі бір"),
    ) == ["b", "a"]


@pytest.mark.parametrize("text", ["старосты", "старост", "список старост", "старостой группы"])
def test_a_russian_word_in_another_case_finds_the_kazakh_text_that_borrowed_it(indexed, text):
    """Kazakh text takes a Russian noun as it stands and adds its own endings ("старосталар
    тізімі"): "список старост" found 7.2 only by meaning, "старосты" or "старост" nothing."""
    page = search_for(None, text, limit=10)
    assert page.results.total, f"{text!r} found nothing"
    found = [hit.entry for hit in page.results.hits]
    assert any(
        "староста" in ((entry.get("text") or "") + entry["title"]).lower() for entry in found[:3]
    ), [(entry.get("anchor"), entry["title"]) for entry in found]


def test_the_askers_own_organisations_rules_come_first(indexed):
    """A tester at ҚазҰТЗУ asked "общежитие" and read АӨУ's «Ментор» 3.4 and 3.8 above
    ҚазҰТЗУ's «Жатақхана беру»: for someone who works in an organisation, its entries come
    before another's that hold as many of the words; for a visitor, the order is the words'."""
    staff = indexed["users"]["staff"]
    kaznrtu = home_organisation_ids(staff)
    assert kaznrtu, "the demo's staff work in ҚазҰТЗУ"
    visitor = [hit.entry["organisation_id"] for hit in search_for(None, "общежитие").results.hits]
    assert visitor[0] not in kaznrtu  # (without the preference, АӨУ's clause came first)
    page = search_for(staff, "общежитие", limit=5)
    assert page.results.hits[0].entry["anchor"] == "4-жатақхана-беру"
    seen = [hit.entry["organisation_id"] in kaznrtu for hit in page.results.hits]
    assert seen == sorted(seen, reverse=True), seen  # theirs, then another's
