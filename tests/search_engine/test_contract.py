"""One contract, both backends: the same queries give the same top results on the embedded
tantivy index and on the real engine; permissions go into the engine's query too; and an
engine outage loses nothing (the outbox drains when it returns)."""

import subprocess
import uuid
from pathlib import Path

import pytest
from elasticsearch.exceptions import ConnectionError as EngineDown

from search import indexing
from search.backends import get_backend
from search.backends.engine import EngineBackend
from search.models import OutboxEntry
from search.schema import SCHEMA_VERSION
from search.services import search_for

pytestmark = pytest.mark.django_db

ENGINE_SH = Path(__file__).resolve().parents[2] / "search" / "engine" / "engine.sh"
QUERIES = [
    "жатақханалардағы орын",
    "куратор деген кім",
    "715-02",
    "ТжӘЖД",
    "эдвайзерлердің жұмыс жоспары",
    "студенттердің шағымдары",
    "общежитие",
    "ментордың құқығы",
    "студенттерді уақытша жұмысқа орналастыру",  # no clause holds every word
    "эдвайзердің жоспарын бекіту мерзімі",
]


@pytest.fixture
def engine(engine_url, es):
    backend = EngineBackend(engine_url, alias=f"sapa-test-{uuid.uuid4().hex[:8]}")
    yield backend
    for index in es.indices.get(index=f"{backend.alias}*"):
        es.indices.delete(index=index, ignore=[404])


@pytest.fixture
def both(demo_content, engine):
    embedded = get_backend("tantivy")
    indexing.rebuild(embedded)
    indexing.rebuild(engine)
    return embedded, engine


@pytest.mark.parametrize("text", QUERIES)
def test_same_top_results_on_both_backends(both, text):
    embedded, engine = both
    a = search_for(None, text, limit=3, backend=embedded).results
    b = search_for(None, text, limit=3, backend=engine).results
    assert a.total == b.total, text
    ids_a = [h.entry["entry_id"] for h in a.hits]
    ids_b = [h.entry["entry_id"] for h in b.hits]
    assert ids_a[:1] == ids_b[:1], text
    assert set(ids_a) == set(ids_b), text


def test_auditors_get_the_same_counts_and_facets_on_both_backends(both, demo_content):
    embedded, engine = both
    auditor = demo_content["users"]["auditor"]
    for text in ("эдвайзер", "жатақхана өтініш"):
        a = search_for(auditor, text, limit=5, backend=embedded).results
        b = search_for(auditor, text, limit=5, backend=engine).results
        assert a.total == b.total > 0, text
        assert a.facets == b.facets, text
        # in the same order too (the page lists them so): the most frequent first
        assert [list(a.facets[name].items()) for name in a.facets] == [
            list(b.facets[name].items()) for name in a.facets
        ], text
        assert any(len(values) > 1 for values in b.facets.values()), text
        assert [h.entry["entry_id"] for h in a.hits] == [h.entry["entry_id"] for h in b.hits]


def test_rebuild_swaps_the_alias_without_a_hole(both, es):
    _embedded, engine = both
    first = engine.index_name
    indexing.rebuild(engine)
    second = engine.index_name
    assert first != second and first.startswith(engine.alias)
    assert f"-v{SCHEMA_VERSION}-" in second  # the schema version is part of the name
    assert not es.indices.exists(index=first)
    assert search_for(None, "эдвайзер", backend=engine).results.total > 0


def test_permissions_are_in_the_engine_query(both, demo_content):
    _embedded, engine = both
    users = demo_content["users"]
    secret = next(r for r in demo_content["records"] if r.series.is_confidential)
    staff = search_for(users["staff"], "анықтама", limit=50, backend=engine).results
    auditor = search_for(users["auditor"], "анықтама", limit=50, backend=engine).results
    assert f"record:{secret.pk}" not in {h.entry["entry_id"] for h in staff.hits}
    assert "record" not in staff.facets["kind"]
    assert f"record:{secret.pk}" in {h.entry["entry_id"] for h in auditor.hits}
    assert (
        auditor.facets["form_code"][secret.form.code]
        == staff.facets["form_code"][secret.form.code] + 1
    )


def test_kazakh_text_comes_back_intact(both):
    _embedded, engine = both
    hit = search_for(None, "әлеуметтік-психологиялық", limit=1, backend=engine).results.hits[0]
    assert "әлеуметтік-психологиялық" in hit.entry["text"]


def test_verify_finds_drift_in_the_engine(both, demo_content):
    _embedded, engine = both
    assert indexing.verify(engine).ok
    engine.delete_object(f"record:{demo_content['records'][0].pk}")
    drift = indexing.verify(engine)
    assert drift.missing == [f"record:{demo_content['records'][0].pk}"]


def test_outbox_survives_an_engine_outage(both, demo_content, engine_url):
    """Stop the engine midway: the changes wait in the outbox and drain when it returns."""
    _embedded, engine = both
    ours = subprocess.run(["bash", str(ENGINE_SH), "status"], capture_output=True).returncode == 0
    record = demo_content["records"][0]
    OutboxEntry.objects.all().delete()
    record.title = "Аккредитация комиссиясының хаттамасы"
    record._change_reason = "атауы түзетілді"
    record.save()
    if ours:
        subprocess.run(["bash", str(ENGINE_SH), "stop"], check=True, capture_output=True)
        down = EngineBackend(engine_url, alias=engine.alias)
    else:  # an engine we did not start: make it unreachable instead
        down = EngineBackend("http://127.0.0.1:9", alias=engine.alias)
    try:
        with pytest.raises(EngineDown):
            indexing.sync(down)
        left = OutboxEntry.objects.get()
        assert left.object_key == f"record:{record.pk}" and left.attempts == 1 and left.last_error
    finally:
        if ours:
            subprocess.run(["bash", str(ENGINE_SH), "start"], check=True, capture_output=True)
    assert indexing.sync(engine) == 1
    assert OutboxEntry.objects.count() == 0
    auditor = demo_content["users"]["auditor"]
    hits = search_for(auditor, "комиссия", types=("record",), backend=engine).results.hits
    assert hits[0].entry["entry_id"] == f"record:{record.pk}"


def test_a_private_document_is_left_out_inside_the_query_on_both_backends(both, demo_content):
    """A document behind Wagtail's "signed-in people only" is not found by anonymous, and is
    by a signed-in member of staff, on both backends (the filter is in the query: totals and
    facets agree)."""
    from wagtail.models import PageViewRestriction

    document = next(d for d in demo_content["documents"] if d.code)
    PageViewRestriction.objects.create(page=document, restriction_type=PageViewRestriction.LOGIN)
    staff = demo_content["users"]["staff"]
    for backend in both:
        hidden = search_for(None, "эдвайзер", limit=50, backend=backend).results
        seen = search_for(staff, "эдвайзер", limit=50, backend=backend).results
        assert document.pk not in {h.entry.get("document_id") for h in hidden.hits}
        assert document.pk in {h.entry.get("document_id") for h in seen.hits}
        assert hidden.total < seen.total
