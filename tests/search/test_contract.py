"""One contract, every backend: the same generated index (3,000 records sharing a common word,
clauses of a dozen documents, forms; Kazakh paragraphs of the demo documents) answers the same
queries with the same matches, totals, facets and permissions as a brute-force count over the
entries, and its candidates are the entries the final ranking would put first over every
match. The engine joins when SAPA_ENGINE_URL names one (``bash search/engine/test.sh``)."""

from __future__ import annotations

import json
import os
import random
import uuid
from collections import Counter
from contextlib import nullcontext
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from search.analysis import analyze_query, loose_query
from search.backends.base import FACETS, Hit, RecordScope, SearchQuery
from search.ranking import _occurrences, rank
from search.schema import Entry

ROOT = Path(__file__).resolve().parents[2]
ENGINE_URL = os.environ.get("SAPA_ENGINE_URL", "").strip()
BACKENDS = [
    "tantivy",
    pytest.param(
        "engine",
        marks=pytest.mark.skipif(not ENGINE_URL, reason="no engine: SAPA_ENGINE_URL is not set"),
    ),
]
RECORDS = 3000  # more matches of one word than any candidate limit
DOCUMENTS = 12
COMMON = "өтініш"  # in every record

SCOPES = {
    "staff": RecordScope(),
    "keeper": RecordScope(unit_ids=(3,)),
    "organisation": RecordScope(organisation_ids=(2,)),
    "granted series": RecordScope(series_ids=(4, 5)),
    "keeper and a series": RecordScope(unit_ids=(7,), series_ids=(4,)),
    "everything": RecordScope(everything=True),
}
TEXTS = [
    COMMON,
    "студенттердің жатақханасы",
    "эдвайзердің жұмыс жоспары",
    "жатакхана",  # typed without Kazakh letters: found through the loose keys
    "шағым",
    "оқу процесі сапасы",
]


def paragraphs() -> list[str]:
    texts = []
    for path in sorted((ROOT / "home" / "demo_data").glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = " ".join(block.replace("<p>", " ").replace("</p>", " ").split())
            if len(block) > 40:
                texts.append(block)
    return texts


@cache
def dataset() -> tuple[Entry, ...]:
    rng = random.Random(404)
    texts = paragraphs()
    titles = [t[:60] for t in texts if len(t) < 100]
    entries = []
    for n in range(400):
        document = 1 + n % DOCUMENTS
        definition = n % 9 == 0
        entries.append(
            Entry(
                entry_id=f"clause:{document}:{n}",
                type="clause",
                title="Терминдер мен анықтамалар" if definition else rng.choice(titles),
                text="\n".join(rng.sample(texts, 2)),
                url=f"/docs/{document}/#{n}",
                organisation_id=1 + document % 2,
                unit_id=1 + document % 5,
                document_id=document,
                document_code=f"ҚазҰТЗУ {700 + document} ҚП",
                kind="procedure" if document % 3 else "instruction",
                status="superseded" if n % 4 == 3 else "in_force",
                edition="№2 басылым",
                year=2018 + n % 6,
                clause=f"{1 + n % 9}.{n % 5}",
                anchor=f"p{n}",
                role="definition" if definition else "",
            )
        )
    entries += [
        Entry(
            entry_id="clause:1:plan",
            type="clause",
            title="Жоспар",
            text="Эдвайзердің жұмыс жоспары оқу жылының басында бекітіледі.",
            url="/docs/1/#plan",
            organisation_id=2,
            document_id=1,
            status="in_force",
        ),
        Entry(
            entry_id="clause:2:apart",
            type="clause",
            title="Жоспар туралы",
            text="Жоспар кафедрада талқыланады; жұмыс уақыты кестеде.",
            url="/docs/2/#apart",
            organisation_id=1,
            document_id=2,
            status="in_force",
        ),
    ]
    for n in range(20):
        entries.append(
            Entry(
                entry_id=f"form:{n}",
                type="form",
                title=f"ҚазҰТЗУ 715-{n:02d} Ү {rng.choice(titles)}",
                text=rng.choice(texts)[:200],
                url=f"/forms/{n}/",
                organisation_id=1 + n % 2,
                document_id=1 + n % DOCUMENTS,
                kind="form",
                form_code=f"715-{n:02d}",
            )
        )
    for n in range(RECORDS):
        form = f"{700 + n % 30}-{1 + n % 8:02d}"
        if n < 60:  # the best matches of the common word are the oldest records
            text = f"{COMMON.capitalize()} " + f"{COMMON} " * (n % 5) + "жатақхана"
        else:
            text = f"{rng.choice(texts)} {COMMON}"
        entries.append(
            Entry(
                entry_id=f"record:{n}",
                type="record",
                title=f"{form}/{n:05d} {rng.choice(titles)}",
                text=text,
                url=f"/records/{n}/",
                organisation_id=1 + n % 2,
                unit_id=1 + n % 40,
                series_id=1 + n % 30,
                confidential=n % 10 == 0,
                document_id=1 + n % DOCUMENTS if n % 7 == 0 else None,
                kind="record",
                status=rng.choice(["open", "closed", "closed", "disposed"]),
                form_code=f"ҚазҰТЗУ {form} Ү",
                year=2015 + n % 10,
            )
        )
    return tuple(entry.finish() for entry in entries)


def make(name: str, where: Path):
    if name == "tantivy":
        from search.backends.tantivy_index import TantivyBackend

        return TantivyBackend(where / "tantivy")
    from search.backends.engine import EngineBackend

    return EngineBackend(ENGINE_URL, alias=f"sapa-test-{uuid.uuid4().hex[:8]}")


def drop(backend) -> None:
    if backend.name == "engine":
        for index in backend.client.indices.get(index=f"{backend.alias}*"):
            backend.client.indices.delete(index=index, ignore=[404])


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    """A backend filled once per module with the generated entries (read-only in tests)."""
    filled = make(request.param, tmp_path_factory.mktemp(request.param))
    filled.upsert(list(dataset()))
    yield filled
    drop(filled)


@pytest.fixture(params=BACKENDS)
def fresh(request, tmp_path):
    """An empty backend of each kind, for the tests that write."""
    made = make(request.param, tmp_path)
    yield made
    drop(made)


# --- the brute-force model -----------------------------------------------------------------


def holds(keys: list[str], key: str) -> bool:
    return _occurrences(keys, key.split()) > 0


def matched_words(entry: Entry, query: SearchQuery) -> int:
    keys, loose = entry.keys.split(), entry.loose.split()
    count = 0
    for i, alternatives in enumerate(query.words):
        extra = query.loose[i] if i < len(query.loose) else []
        count += any(holds(keys, k) for k in alternatives) or any(holds(loose, k) for k in extra)
    return count


def visible(entry: Entry, query: SearchQuery) -> bool:
    scope = query.records
    if entry.type not in query.types:
        return False
    if entry.type == "record" and not scope.everything:
        if not (
            entry.unit_id in scope.unit_ids
            or entry.organisation_id in scope.organisation_ids
            or (entry.series_id in scope.series_ids and not entry.confidential)
        ):
            return False
    if entry.document_id is not None and entry.document_id in query.hidden_documents:
        return False
    return all(getattr(entry, name) == value for name, value in query.filters.items())


def expected(query: SearchQuery) -> list[Entry]:
    need = query.required_words or len(query.words)
    return [
        e
        for e in dataset()
        if visible(e, query) and (not query.words or matched_words(e, query) >= need)
    ]


def facets_of(entries: list[Entry]) -> dict:
    out = {}
    for name in FACETS:
        values = Counter(getattr(e, name) for e in entries)
        out[name] = {value: n for value, n in values.items() if value not in (None, "")}
    return out


def question(text: str, **fields) -> SearchQuery:
    return SearchQuery(words=analyze_query(text), loose=loose_query(text), **fields)


def every(backend, query: SearchQuery, page: int = 500) -> list:
    hits, offset = [], 0
    while True:
        found = backend.search(replace(query, limit=page, offset=offset)).hits
        hits += found
        offset += page
        if len(found) < page:
            return hits


def ids(hits) -> list[str]:
    return [h.entry["entry_id"] for h in hits]


# --- matching, permissions, counts ----------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("scope", list(SCOPES))
def test_totals_and_facets_are_every_allowed_match(backend, text, scope):
    query = question(text, records=SCOPES[scope])
    want = expected(query)
    found = backend.search(query)
    assert found.total == len(want)
    assert found.facets == facets_of(want)
    if scope == "staff":
        assert "record" not in found.facets["kind"] and found.total < len(dataset())


def test_every_word_is_required_unless_fewer_are_asked_for(backend):
    query = question("студенттердің жатақхана шағымы", records=SCOPES["everything"])
    assert len(query.words) == 3
    totals = []
    for required in (0, 2, 1):
        asked = replace(query, required_words=required)
        want = expected(asked)
        found = backend.search(replace(asked, limit=len(want) + 1))
        assert found.total == len(want) and set(ids(found.hits)) == {e.entry_id for e in want}
        totals.append(found.total)
    assert totals[0] < totals[1] < totals[2]


def test_a_phrase_alternative_matches_adjacent_keys_only(backend):
    plan = analyze_query("жұмыс жоспары")
    phrase = " ".join(alternatives[0] for alternatives in plan)
    query = SearchQuery(words=[[phrase]], records=SCOPES["everything"], limit=100)
    found = backend.search(query)
    assert "clause:1:plan" in ids(found.hits) and "clause:2:apart" not in ids(found.hits)
    assert found.total == len(expected(query))
    both = SearchQuery(words=plan, records=SCOPES["everything"], limit=100)
    assert {"clause:1:plan", "clause:2:apart"} <= set(ids(backend.search(both).hits))


@pytest.mark.parametrize("scope", list(SCOPES))
def test_a_phrase_among_a_words_alternatives_finds_what_either_finds(backend, scope):
    """The tantivy backend asks a phrase alternative together with the user's scope (for
    speed): the same entries, and the phrase's match scored alike whatever the scope."""
    phrase = " ".join(alternatives[0] for alternatives in analyze_query("жұмыс жоспары"))
    word = analyze_query("жатақхана")[0]
    query = SearchQuery(words=[[*word, phrase]], records=SCOPES[scope], limit=1000)
    want = expected(query)
    found = backend.search(query)
    assert found.total == len(want) > 1
    assert set(ids(found.hits)) == {e.entry_id for e in want}
    assert "clause:1:plan" in ids(found.hits) and "clause:2:apart" not in ids(found.hits)
    everything = backend.search(replace(query, records=SCOPES["everything"]))
    score = {h.entry["entry_id"]: h.score for h in found.hits}["clause:1:plan"]
    assert score > 0
    assert score == pytest.approx(
        {h.entry["entry_id"]: h.score for h in everything.hits}["clause:1:plan"]
    )


def test_a_word_typed_without_kazakh_letters_is_found_through_the_loose_keys(backend):
    query = question("жатакхана", records=SCOPES["everything"], limit=1000)
    keys = {key for e in dataset() for key in e.keys.split()}
    assert not keys & {key for alternatives in query.words for key in alternatives}
    found = backend.search(query)
    assert found.total == len(expected(query)) >= 60
    assert set(ids(found.hits)) == {e.entry_id for e in expected(query)}
    assert backend.search(replace(query, loose=[])).total == 0


def test_a_word_with_a_typo_is_found_within_its_edits_and_only_where_the_user_may_look(
    backend,
):
    # "жатахана": a letter left out of жатақхана (and of its folded key, жатакхана).
    typed = question("жатахана", records=SCOPES["everything"], limit=1000)
    assert backend.search(typed).total == 0
    fuzzy = backend.search(replace(typed, fuzzy=1))
    proper = question("жатақхана", records=SCOPES["everything"], limit=1000)
    assert {e.entry_id for e in expected(proper)} <= set(ids(fuzzy.hits))
    assert len(expected(proper)) >= 60
    # Two letters off is beyond one edit; the scope still holds inside the query.
    assert backend.search(replace(typed, words=[["жатхана"]], loose=[], fuzzy=1)).total == 0
    by_id = {e.entry_id: e for e in dataset()}
    for name, scope in SCOPES.items():
        seen = set(ids(backend.search(replace(typed, fuzzy=1, records=scope)).hits))
        allowed = question("жатақхана", records=scope, limit=1000)
        assert {e.entry_id for e in expected(allowed)} <= seen, name
        assert all(visible(by_id[i], allowed) for i in seen), name


def test_types_filter(backend):
    for types in (("clause",), ("form",), ("record",), ("clause", "form")):
        query = SearchQuery(words=[], types=types, records=SCOPES["everything"])
        found = backend.search(query)
        assert found.total == len(expected(query)) > 0
        assert {h.entry["type"] for h in found.hits} <= set(types)


@pytest.mark.parametrize("scope", list(SCOPES))
def test_each_scope_sees_exactly_its_records(backend, scope):
    query = SearchQuery(words=[], types=("record",), records=SCOPES[scope], limit=RECORDS)
    want = {e.entry_id for e in expected(query)}
    found = backend.search(query)
    assert found.total == len(want) and set(ids(found.hits)) == want
    if scope == "staff":
        assert not want
    if scope == "granted series":
        assert not any(h.entry["confidential"] for h in found.hits)
        assert {h.entry["series_id"] for h in found.hits} == {4, 5}


def test_hidden_documents_leave_out_their_clauses_forms_and_records(backend):
    shown = question(COMMON, records=SCOPES["everything"])
    hidden = replace(shown, hidden_documents=(1, 2, 3))
    found = backend.search(replace(hidden, limit=5000))
    assert found.total == len(expected(hidden)) < backend.search(shown).total
    assert not {h.entry["document_id"] for h in found.hits} & {1, 2, 3}
    assert found.facets == facets_of(expected(hidden))


@pytest.mark.parametrize(
    "filters",
    [
        {"year": 2020},
        {"kind": "instruction"},
        {"status": "superseded"},
        {"unit_id": 4, "year": 2018},
    ],
)
def test_facet_filters_count_what_they_keep(backend, filters):
    query = SearchQuery(words=[], records=SCOPES["organisation"], filters=filters)
    want = expected(query)
    found = backend.search(query)
    assert found.total == len(want) > 0 and found.facets == facets_of(want)


# --- candidates and order -------------------------------------------------------------------


@pytest.mark.parametrize("text", [COMMON, "студенттердің жатақхана шағымы"])
@pytest.mark.parametrize("scope", ["everything", "keeper"])
def test_candidates_are_what_ranking_every_match_puts_first(backend, text, scope):
    """Candidates (the backend's own BM25 best), ranked, give the same first ten as ranking
    every allowed match: however common the word, no match is left out of the choice."""
    query = question(text, records=SCOPES[scope], limit=50, candidates=True, required_words=1)
    keys = sorted({k for alternatives in query.words for k in alternatives})
    loose = sorted({k for alternatives in query.loose for k in alternatives})
    stats = backend.stats(keys, loose)
    found = backend.search(query)
    mine = rank(found.hits, query.words, stats, definitions_first=False, loose=query.loose)
    everyone = [Hit(entry=e.as_dict(), score=0.0) for e in expected(query)]
    best = rank(everyone, query.words, stats, definitions_first=False, loose=query.loose)
    assert len(everyone) > 50
    assert ids(mine[:10]) == ids(best[:10])


def order_key(entry: dict, definitions_first: bool):
    return (
        definitions_first and entry["role"] != "definition",
        entry["status"] == "superseded",
    )


@pytest.mark.parametrize("definitions_first", [True, False])
def test_without_candidates_definitions_then_current_then_score_then_entry_id(
    backend, definitions_first
):
    """Paged 37 at a time: no entry twice, none missing, each page in the order."""
    query = question(
        "оқу процесі",
        types=("clause",),
        records=SCOPES["everything"],
        definitions_first=definitions_first,
        required_words=1,
    )
    hits = every(backend, query, page=37)
    assert len(ids(hits)) == len(set(ids(hits))) == len(expected(query)) > 100
    keys = [
        (order_key(h.entry, definitions_first), -round(h.score, 4), h.entry["entry_id"])
        for h in hits
    ]
    groups = [k[0] for k in keys]
    assert groups == sorted(groups)
    assert len(set(groups)) == (4 if definitions_first else 2)
    for before, after in pairwise(keys):
        if before[0] == after[0]:
            assert before[1:] <= after[1:] or abs(before[1] - after[1]) < 1e-3


def test_without_words_every_allowed_entry_in_entry_id_order(backend):
    query = SearchQuery(words=[], records=SCOPES["keeper"], definitions_first=True)
    want = sorted(expected(query), key=lambda e: (*order_key(e.as_dict(), True), e.entry_id))
    assert ids(every(backend, query, page=250)) == [e.entry_id for e in want]


def test_stats_count_the_entries_holding_each_key(backend):
    phrase = " ".join(alternatives[0] for alternatives in analyze_query("жұмыс жоспары"))
    keys = [COMMON, "жатақхана", "эдвайзер", phrase, "жоқсөз"]
    stats = backend.stats(keys)
    for key in keys:
        assert stats.frequency[key] == sum(holds(e.keys.split(), key) for e in dataset()), key
    lengths = [e.length for e in dataset() if e.length > 0]
    assert stats.entries == len(lengths)
    assert stats.average_length == pytest.approx(sum(lengths) / len(lengths))
    loose = backend.stats([], ["жатакхана", "отиниш"]).loose_frequency
    for key in ("жатакхана", "отиниш"):
        assert loose[key] == sum(key in e.loose.split() for e in dataset()) > 0


# --- writing --------------------------------------------------------------------------------


def record(n: int, text: str, **fields) -> Entry:
    values = dict(organisation_id=1, unit_id=1, series_id=1, year=2024, status="open")
    return Entry(
        entry_id=f"record:{n}",
        type="record",
        title=f"Жазба {n}",
        text=text,
        url=f"/records/{n}/",
        kind="record",
        **(values | fields),
    ).finish()


def clause(document: int, n: int, text: str) -> Entry:
    return Entry(
        entry_id=f"clause:{document}:{n}",
        type="clause",
        title="Тармақ",
        text=text,
        url=f"/docs/{document}/#{n}",
        organisation_id=1,
        document_id=document,
        status="in_force",
    ).finish()


EVERYTHING = SearchQuery(words=[["жатақхана"]], records=RecordScope(everything=True), limit=50)


def test_delete_object_removes_a_documents_clauses_and_a_record(fresh):
    fresh.upsert(
        [clause(1, n, "Жатақхана ережесі") for n in range(3)]
        + [clause(2, 0, "Жатақхана тәртібі"), record(5, "Жатақхана өтініші")]
    )
    assert fresh.search(EVERYTHING).total == 5
    fresh.delete_object("document:1")
    assert set(ids(fresh.search(EVERYTHING).hits)) == {"clause:2:0", "record:5"}
    fresh.delete_object("record:5")
    assert ids(fresh.search(EVERYTHING).hits) == ["clause:2:0"]
    assert fresh.all_versions().keys() == {"clause:2:0"}


def test_rebuild_replaces_everything(fresh):
    fresh.upsert([record(n, "Жатақхана өтініші") for n in range(4)])
    fresh.rebuild([record(9, "Жатақхана"), clause(3, 1, "Орын беру")])
    assert ids(fresh.search(EVERYTHING).hits) == ["record:9"]
    assert sorted(fresh.all_versions()) == ["clause:3:1", "record:9"]
    assert [row["entry_id"] for row in fresh.entries_for("clause:3:")] == ["clause:3:1"]


def test_an_upserted_entry_takes_its_new_permissions_never_the_old_ones(fresh):
    fresh.upsert([record(1, "Жатақхана өтініші", unit_id=1, confidential=True, series_id=4)])
    unit = {n: replace(EVERYTHING, records=RecordScope(unit_ids=(n,))) for n in (1, 2)}
    series = replace(EVERYTHING, records=RecordScope(series_ids=(4,)))
    assert fresh.search(unit[1]).total == 1 and fresh.search(series).total == 0
    fresh.upsert([record(1, "Жатақхана өтініші", unit_id=2, confidential=False, series_id=4)])
    assert fresh.search(unit[1]).total == 0
    assert ids(fresh.search(unit[2]).hits) == ["record:1"] and fresh.search(series).total == 1
    fresh.delete_object("record:1")
    fresh.upsert([record(2, "Жатақхана өтініші", unit_id=3)])
    assert fresh.search(unit[1]).total == fresh.search(unit[2]).total == 0
    assert fresh.search(series).total == 0


def test_a_second_backend_object_on_the_same_index_sees_the_first_ones_writes(fresh, tmp_path):
    if fresh.name == "engine":
        from search.backends.engine import EngineBackend

        reader = EngineBackend(ENGINE_URL, alias=fresh.alias)
    else:
        reader = make(fresh.name, tmp_path)  # the same files as ``fresh``
    assert reader.search(EVERYTHING).total == 0
    fresh.upsert([record(1, "Жатақханада орын беру туралы өтініш")])
    found = reader.search(EVERYTHING)
    assert ids(found.hits) == ["record:1"] and found.facets["year"] == {2024: 1}
    assert reader.stats(["жатақхана"]).frequency == {"жатақхана": 1}
    fresh.rebuild([record(2, "Жатақхана")])
    assert ids(reader.search(EVERYTHING).hits) == ["record:2"]
    fresh.delete_object("record:2")
    assert reader.search(EVERYTHING).total == 0


def destroyed(backend, where: Path) -> bytes:
    """Twelve records of a person's name filed beside one that stays, then deleted: the
    index files' bytes."""
    secret = [record(n, f"Қасымов Айдар, анықтама нөмірі {n}") for n in range(1, 13)]
    backend.upsert([*secret, record(99, "Жатақхана өтініші")])  # side by side in the files
    before = b"".join(p.read_bytes() for p in where.rglob("*") if p.is_file())
    assert "қасымов".encode() in before
    for n in range(1, 13):
        backend.delete_object(f"record:{n}")
    assert ids(backend.search(EVERYTHING).hits) == ["record:99"]
    return b"".join(p.read_bytes() for p in where.rglob("*") if p.is_file())


def test_a_deleted_entry_leaves_no_text_in_the_index_files(fresh, tmp_path):
    """A destroyed record's text must not survive in the index files. Tantivy compresses
    what it stores, so there no document merely marked deleted may remain in a segment, and
    the key's document frequency (which counts marked documents too) is 0."""
    if fresh.name == "engine":
        pytest.skip("the engine's files are the engine's")
    stored = destroyed(fresh, tmp_path)
    assert "Қасымов Айдар".encode() not in stored
    assert fresh.stats(["қасымов"]).frequency == {"қасымов": 0}
    if fresh.name == "tantivy":
        live = tmp_path / "tantivy" / "current"
        segments = json.loads((live / "meta.json").read_text())["segments"]
        assert [(s["max_doc"], s["deletes"]) for s in segments] == [(1, None)]


def test_a_deleted_entry_leaves_no_keys_in_the_index_files(fresh, tmp_path):
    """Nor its keys (a name's stem is a name)."""
    if fresh.name == "engine":
        pytest.skip("the engine's files are the engine's")
    stored = destroyed(fresh, tmp_path)
    for gone in ("қасымов", "касымов"):
        assert gone.encode() not in stored, gone


def test_a_batch_of_writes_is_seen_whole_and_purged_once(fresh, tmp_path):
    """``batch()`` (where a backend offers it): a drain's deletes and upserts become visible
    together at its end, and the deleted entries leave the files then."""
    if not hasattr(fresh, "batch"):
        pytest.skip(f"the {fresh.name} backend writes each call at once")
    reader = make(fresh.name, tmp_path)
    fresh.upsert(
        [*(record(n, f"Қасымов Айдар, жатақхана {n}") for n in range(1, 4)), record(9, "Жатақхана")]
    )
    with fresh.batch():
        for n in range(1, 4):
            fresh.delete_object(f"record:{n}")
        fresh.upsert([record(3, "Жатақхана өтініші"), record(4, "Жатақхана кезегі")])
        before = ["record:1", "record:2", "record:3", "record:9"]
        assert sorted(ids(reader.search(EVERYTHING).hits)) == before
    assert sorted(ids(reader.search(EVERYTHING).hits)) == ["record:3", "record:4", "record:9"]
    assert reader.stats(["қасымов"]).frequency == {"қасымов": 0}


def test_each_batch_of_a_drains_run_is_seen_as_it_commits(fresh, tmp_path):
    """``session()`` (where a backend offers it): one writer for a drain's many batches,
    yet each batch is found by another process's reader as soon as it ends, and a batch
    that removed a record's words leaves them out of the files before the next begins."""
    if not hasattr(fresh, "session"):
        pytest.skip(f"the {fresh.name} backend writes each call at once")
    reader = make(fresh.name, tmp_path)
    with fresh.session():
        with fresh.batch():
            fresh.upsert([record(1, "Қасымов Айдар, жатақхана"), record(2, "Жатақхана кезегі")])
        assert sorted(ids(reader.search(EVERYTHING).hits)) == ["record:1", "record:2"]
        with fresh.batch():
            fresh.upsert([record(1, "Жатақхана")])
        assert "Қасымов".encode() not in index_bytes(tmp_path)
        assert reader.stats(["қасымов"]).frequency == {"қасымов": 0}
        with fresh.batch():
            fresh.delete_object("record:2")
            fresh.upsert([record(3, "Жатақхана өтініші")])
        assert sorted(ids(reader.search(EVERYTHING).hits)) == ["record:1", "record:3"]
    fresh.upsert([record(4, "Жатақхана кезегі")])  # the session's writer was released
    assert sorted(ids(reader.search(EVERYTHING).hits)) == ["record:1", "record:3", "record:4"]


def index_bytes(where: Path) -> bytes:
    return b"".join(p.read_bytes() for p in where.rglob("*") if p.is_file())


def test_words_that_leave_a_record_leave_the_index_files(fresh, tmp_path):
    """A record disposed down to its description (or a file removed, or its text edited)
    keeps none of the words it lost in the files, alone or in a drain's batch."""
    if fresh.name == "engine":
        pytest.skip("the engine's files are the engine's")
    fresh.upsert([record(1, "Қасымов Айдар, жатақхана"), record(2, "Жатақхана кезегі")])
    fresh.upsert([record(1, "Жатақхана")])
    with getattr(fresh, "batch", nullcontext)():
        fresh.upsert([record(2, "Жатақхана")])
    stored = index_bytes(tmp_path)
    for gone in ("Қасымов", "қасымов", "кезег"):
        assert gone.encode() not in stored, gone
    assert sorted(ids(fresh.search(EVERYTHING).hits)) == ["record:1", "record:2"]


def test_a_record_that_keeps_its_words_is_not_rewritten(tmp_path):
    """Purging rewrites whole segments, so it runs only when words left a record: a record
    that gains words, a clause or a form replaced, leave the old copy marked deleted (never
    found) for tantivy's own merges."""
    backend = make("tantivy", tmp_path)
    backend.upsert(
        [clause(1, 0, "Жатақхана ережесі"), clause(1, 1, "Кезек")]
        + [record(n, f"Жатақхана өтініші {n}") for n in range(1, 50)]
    )
    backend.upsert([record(1, "Жатақхана өтініші 1, қосымша парақ")])
    backend.upsert([clause(1, 0, "Студенттер үйі")])
    live = tmp_path / "tantivy" / "current"
    segments = json.loads((live / "meta.json").read_text())["segments"]
    assert sum((s.get("deletes") or {}).get("num_deleted_docs", 0) for s in segments) == 2
    found = backend.search(question("қосымша", records=RecordScope(everything=True)))
    assert ids(found.hits) == ["record:1"]
    assert backend.search(question("ережесі", records=RecordScope(everything=True))).total == 0
    assert backend.search(question("студенттер үйі")).total == 1


def test_a_bulk_of_entries_upserted_again_replaces_them(fresh):
    """A bulk of new entries is added without deletes (tantivy); upserted again, each is
    replaced, never doubled, and a bulk repeating an id keeps one copy."""
    fresh.upsert([record(n, f"Жатақхана өтініші {n}") for n in range(1, 151)])
    fresh.upsert([record(n, f"Жатақхана кезегі {n}") for n in range(1, 151)])
    fresh.upsert([record(n, "Жатақхана кезегі") for n in (*range(151, 300), 151)])
    everything = RecordScope(everything=True)
    assert fresh.search(question("жатақхана", records=everything)).total == 299
    assert fresh.search(question("өтініш", records=everything)).total == 0
    assert fresh.search(question("кезегі", records=everything)).total == 299


def test_a_regroup_keeps_every_answer_and_reads_each_units_records_together(tmp_path):
    """The nightly regroup (tantivy) writes the index again, the regulations first and then
    each organisation's records unit by unit: every search answers as before (matches,
    totals, facets, permissions), for this object and another process's; what was deleted
    or replaced is gone from the files; a second run with nothing written since does
    nothing, one after a write regroups again."""
    import tantivy

    backend = make("tantivy", tmp_path)
    # Filed over time: the units' records one after another's, in several commits.
    for turn in range(3):
        backend.upsert(
            [
                record(
                    100 * turn + n,
                    f"Жатақхана өтініші {n}, {'шағым' if n % 3 == 0 else 'кезек'}",
                    organisation_id=1 + n % 2,
                    unit_id=1 + n % 4,
                    series_id=1 + n % 3,
                    confidential=n % 5 == 0,
                )
                for n in range(1, 40)
            ]
            + [clause(turn, n, f"Жатақхана ережесі, тармақ {n}") for n in range(5)]
        )
    backend.upsert([record(999, "Жатақхана өтініші, бөлімшесі жоқ", unit_id=None)])
    backend.delete_object("record:7")  # (its words purged from the files at once)
    backend.upsert([clause(9, 0, "Жатақхана тәртібі, ескірген")])
    backend.upsert([clause(9, 0, "Жатақхана тәртібі")])
    asked = [
        replace(question(text, records=scope), limit=500)
        for text in ("жатақхана", "шағым", "жатакхана өтініш", "ережесі")
        for scope in SCOPES.values()
    ]

    def answers(searcher) -> list:
        return [
            (ids(found.hits), found.total, found.facets) for found in map(searcher.search, asked)
        ]

    before = answers(backend)
    other = make("tantivy", tmp_path)  # another process, reading the same folder
    assert answers(other) == before

    live = sum(1 for _ in backend.all_versions())
    assert backend.regroup() == live
    assert answers(backend) == before and answers(other) == before
    index = tantivy.Index.open(str(tmp_path / "tantivy" / "current"))
    searcher = index.searcher()
    addresses = sorted(
        (hit[1] for hit in searcher.search(tantivy.Query.all_query(), live).hits),
        key=lambda a: (a.segment_ord, a.doc),
    )
    written = [searcher.doc(a) for a in addresses]
    assert "record:7" not in {d.get_first("entry_id") for d in written}
    # Each segment holds its entries in that order (the writer's threads share them out).
    segments: dict[int, list] = {}
    for address, document in zip(addresses, written, strict=True):
        segments.setdefault(address.segment_ord, []).append(document)
    groups = set()
    for documents in segments.values():
        layout = [
            (
                d.get_first("type") == "record",
                # the record without a unit comes last
                *((d.get_first("organisation_id"), u) if (u := d.get_first("unit_id")) else (9, 9)),
            )
            for d in documents
        ]
        kinds = [entry[0] for entry in layout]
        assert kinds == sorted(kinds)  # the regulations, then the records
        records = [entry[1:] for entry in layout if entry[0]]
        assert records == sorted(records)  # each organisation's units, one by one
        groups |= {entry[:2] for entry in records}
    assert len(groups) == 5  # units 1 and 3 of one organisation, 2 and 4 of the other, none

    assert backend.regroup() is None  # nothing written since
    backend.upsert([record(1000, "Жатақхана кезегі", unit_id=3)])
    assert backend.regroup() == live + 1
    found = backend.search(question("кезегі", records=RecordScope(unit_ids=(3,)), limit=50))
    assert "record:1000" in ids(found.hits)
