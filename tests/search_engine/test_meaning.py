"""The clauses' meaning vectors in the engine (OpenSearch's k-NN plugin, which engine.sh runs):
written into the clauses' entries, searched by the engine with the asking user's filter inside
the k-NN search. The vectors here are made by hand, so that these run where the optional model
is not installed; tests/search/test_vectors.py runs the model's own on this backend too."""

import math

import pytest

from search import indexing
from search.backends.base import RecordScope, SearchQuery
from search.backends.engine import MEANING, MEANING_DIMENSION
from search.schema import FIELDS

from .test_contract import engine  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def unit(*leading: float) -> list[float]:
    vector = list(leading) + [0.0] * (MEANING_DIMENSION - len(leading))
    length = math.sqrt(sum(x * x for x in vector))
    return [x / length for x in vector]


@pytest.fixture
def clauses(demo_content, engine):  # noqa: F811
    """The demo indexed on the engine; three clauses of 715 and one of the mentor's job
    instruction given vectors: the closer to (1, 0, …), the earlier in this list."""
    indexing.rebuild(engine)
    found = engine.search(SearchQuery(words=[], types=("clause",), limit=2000)).hits
    by_document: dict[int, list[str]] = {}
    for hit in found:
        by_document.setdefault(hit.entry["document_id"], []).append(hit.entry["entry_id"])
    first, second = sorted(by_document, key=lambda pk: -len(by_document[pk]))[:2]
    chosen = [*by_document[first][:3], by_document[second][0]]
    closeness = [unit(1.0, 0.1), unit(1.0, 0.5), unit(0.2, 1.0), unit(1.0, 0.3)]
    entries = [
        entry
        for pk in (first, second)
        for entry in indexing.entries_of(f"document:{pk}")
        if entry.entry_id in chosen
    ]
    engine.upsert(entries, meaning=dict(zip(chosen, closeness, strict=True)))
    return {"ids": chosen, "first_document": first, "second_document": second}


def test_a_rebuild_writes_each_clause_once_with_its_vector(demo_content, engine, monkeypatch):  # noqa: F811
    """The vectors go into the new index with the entries. Written after them, as updates,
    every clause was counted twice in the engine's term statistics until its segments merged
    (268 entries for 143), and its ranking drifted from the embedded index's."""
    from search import vectors

    # Vectors made by hand stand for the model's (tests/search/test_vectors.py runs those).
    monkeypatch.setattr(vectors, "enabled", lambda: True)
    monkeypatch.setattr(
        vectors,
        "rebuild",
        lambda entries, key_of: {
            e.entry_id: unit(1.0, i / 100) for i, e in enumerate(entries) if e.type == "clause"
        },
    )
    count = indexing.rebuild(engine)
    assert engine.stats([]).entries == count
    nearest = engine.nearest(unit(1.0), SearchQuery(words=[], types=("clause",)), depth=3)
    assert len(nearest) == 3 and all(hit.entry["type"] == "clause" for hit in nearest)


def test_the_engine_runs_k_nn_and_each_new_index_has_the_meaning_field(engine, es):  # noqa: F811
    assert engine.holds_meaning
    index = engine.ensure()
    field = es.indices.get_mapping(index=index)[index]["mappings"]["properties"][MEANING]
    assert field["type"] == "knn_vector" and field["dimension"] == MEANING_DIMENSION


def test_the_nearest_clauses_come_closest_first(clauses, engine):  # noqa: F811
    a, b, c, d = clauses["ids"]
    hits = engine.nearest(unit(1.0), SearchQuery(words=[], types=("clause",)), depth=10)
    assert [hit.entry["entry_id"] for hit in hits] == [a, d, b, c]
    assert all(hit.entry["type"] == "clause" and hit.entry["title"] for hit in hits)


def test_a_hidden_document_is_left_out_inside_the_k_nn_search(clauses, engine):  # noqa: F811
    """The depth is counted among the clauses the user may get: with 715 hidden, the nearest
    one is the mentor's clause, not 715's nearest dropped afterwards (which would leave none)."""
    d = clauses["ids"][-1]
    hidden = SearchQuery(
        words=[],
        types=("clause",),
        records=RecordScope(),
        hidden_documents=(clauses["first_document"],),
    )
    hits = engine.nearest(unit(1.0), hidden, depth=1)
    assert [hit.entry["entry_id"] for hit in hits] == [d]


def test_a_document_taken_out_of_the_index_takes_its_vectors_with_it(clauses, engine):  # noqa: F811
    """The drain takes a document's entries out before writing them afresh: its old vectors
    go with them, and only the new ones (the model's, where it is installed) come back."""
    d = clauses["ids"][-1]
    engine.delete_object(f"document:{clauses['first_document']}")
    hits = engine.nearest(unit(1.0), SearchQuery(words=[], types=("clause",)), depth=10)
    assert [hit.entry["entry_id"] for hit in hits] == [d]


def _sources_sent_back(backend, monkeypatch) -> tuple[list[dict], list]:
    """Every hit's stored source as the engine sends it back to Sapa's searches, and what of
    it each search asked for."""
    sent: list[dict] = []
    asked: list = []
    search_engine = backend.client.search

    def search(*args, **kwargs):
        asked.append(kwargs["body"].get("_source"))
        response = search_engine(*args, **kwargs)
        sent.extend(hit["_source"] for hit in response["hits"]["hits"])
        return response

    monkeypatch.setattr(backend.client, "search", search)
    return sent, asked


def test_a_search_brings_the_clauses_back_without_their_vectors(clauses, engine, es, monkeypatch):  # noqa: F811
    """The vector stays in the engine for its k-NN search and out of the stored source, so a
    search's hundred candidates come back without 384 numbers each, taken whole."""
    a, b, c, d = clauses["ids"]
    assert [
        h.entry["entry_id"]
        for h in engine.nearest(unit(1.0), SearchQuery(words=[], types=("clause",)), depth=1)
    ] == [a]
    sent, asked = _sources_sent_back(engine, monkeypatch)
    query = SearchQuery(words=[], types=("clause",), entry_ids=(a, b, c, d), limit=10)
    hits = engine.search(query).hits
    assert sorted(h.entry["entry_id"] for h in hits) == sorted(clauses["ids"])
    assert all(h.entry["title"] and h.entry["keys"] for h in hits)
    assert len(sent) == 4 and all(source.keys() == FIELDS.keys() for source in sent)
    assert asked == [True]  # the source whole, which holds the entry's fields and no more
    # Nor does the source taken whole hold them (what the searches above ask for).
    whole = es.search(index=engine.alias, body={"query": {"ids": {"values": [a, b, c, d]}}})
    assert not any(MEANING in hit["_source"] for hit in whole["hits"]["hits"])


def test_an_index_made_before_keeps_its_vectors_and_is_still_read_by_field(
    clauses,
    engine,  # noqa: F811
    es,
    monkeypatch,
):
    """An index made by an earlier version holds the vectors in its stored source: until the
    next `search_index rebuild`, its searches name the fields they read, and the hits come
    back with the entry's fields and no vector. Once another process has rebuilt it, they
    take the source whole again (asked again a minute after)."""
    from elasticsearch_dsl import Index, Mapping

    from search.backends import engine as engine_module
    from search.backends.engine import EntryDocument, _meaning_field

    old = f"{engine.alias}-v0-earlier"
    index = Index(old, using=es)
    index.document(EntryDocument)
    index.settings(**{"index.knn": True})
    index.mapping(Mapping().field(MEANING, _meaning_field()))
    index.create()
    a = clauses["ids"][0]
    source = engine.search(SearchQuery(words=[], entry_ids=(a,), limit=1)).hits[0].entry
    es.index(index=old, id=a, body=source | {MEANING: unit(1.0)}, refresh=True)
    es.indices.update_aliases(
        body={
            "actions": [
                {"add": {"index": old, "alias": engine.alias}},
                {"remove": {"index": engine.index_name, "alias": engine.alias}},
            ]
        }
    )
    fresh = type(engine)(engine.url, alias=engine.alias)
    assert MEANING in es.get(index=old, id=a)["_source"]  # as such an index holds it
    sent, asked = _sources_sent_back(fresh, monkeypatch)
    hits = fresh.search(SearchQuery(words=[], entry_ids=(a,), limit=1)).hits
    assert [h.entry["entry_id"] for h in hits] == [a] and hits[0].entry["title"]
    assert len(sent) == 1 and MEANING not in sent[0]
    assert isinstance(asked[0], list) and "title" in asked[0]

    indexing.rebuild(type(engine)(engine.url, alias=engine.alias))  # `search_index rebuild`
    fresh.search(SearchQuery(words=[], entry_ids=(a,), limit=1))
    assert isinstance(asked[1], list)  # asked a minute ago: not yet again
    monkeypatch.setattr(engine_module, "STATS_TTL", 0.0)  # a minute later
    hits = fresh.search(SearchQuery(words=[], entry_ids=(a,), limit=1)).hits
    assert [h.entry["entry_id"] for h in hits] == [a] and asked[2] is True
