"""The engine backend: OpenSearch (or Elasticsearch 7) through elasticsearch-dsl 7.4.

The index keeps the original text (standard tokenizer + lowercase, no folding) for phrases
and display next to the field of keys computed by ``search.analysis`` (whitespace analyzer),
so the engine matches exactly what the embedded backend matches. Index names carry the
schema version and a timestamp behind the alias ``sapa-entries``: a rebuild writes a new
index and swaps the alias in one call, never leaving a hole.

On an engine with OpenSearch's k-NN plugin, each index also has a ``meaning`` field: the
clauses' vectors (``search.vectors``), searched by the engine itself (Lucene's HNSW graph)
with the same permission filter as every search, inside the k-NN query. Without the plugin
(or on Elasticsearch 7) the index has no such field and the vectors stay in their file.
"""

from __future__ import annotations

import time
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk, scan
from elasticsearch_dsl import (
    Boolean,
    Document,
    Field,
    Index,
    Integer,
    Keyword,
    Mapping,
    Search,
    Text,
    analyzer,
)
from elasticsearch_dsl import Q as EQ

from ..analysis import get_analyzer
from ..ranking import LOOSE_WEIGHT
from ..schema import FIELDS, SCHEMA_VERSION, Entry
from .base import FACETS, Hit, Results, SearchQuery, Stats

ALIAS = "sapa-entries"
BULK_CHUNK = 5000
STATS_TTL = 60.0
SUPERSEDED_LAST = "doc['status'].size() > 0 && doc['status'].value == 'superseded' ? 1 : 0"
# Distinct values counted per facet: every one, as the embedded backend does (six facets of
# 10,000 stay under the engine's default limit of 65,535 buckets a search).
FACET_SIZE = 10_000
DEFINITIONS_FIRST = "doc['role'].size() > 0 && doc['role'].value == 'definition' ? 0 : 1"
MEANING = "meaning"
MEANING_DIMENSION = 384  # multilingual-e5-small (search.semantic)
ORIGINAL = analyzer("sapa_original", tokenizer="standard", filter=["lowercase"])
KEYS = analyzer("sapa_keys", tokenizer="whitespace")


def _field(kind: str):
    return {
        "id": Keyword(),
        "keyword": Keyword(),
        "int": Integer(),
        "bool": Boolean(),
        "text": Text(analyzer=ORIGINAL),
        "keys": Text(analyzer=KEYS),
        "stored": Keyword(index=False),
    }[kind]


class KnnVector(Field):
    """OpenSearch's ``knn_vector`` (the k-NN plugin's field), which elasticsearch-dsl lacks."""

    name = "knn_vector"


def _meaning_field():
    # Lucene's HNSW (pure Java); the vectors are unit length, so the inner product is the cosine.
    method = {"name": "hnsw", "engine": "lucene", "space_type": "innerproduct"}
    return KnnVector(dimension=MEANING_DIMENSION, method=method)


# The Document class is derived from the schema, field by field.
EntryDocument = type(
    "EntryDocument",
    (Document,),
    {name: _field(kind) for name, kind in FIELDS.items()} | {"__module__": __name__},
)
assert get_analyzer("kk_ru_keys").precomputed  # the keys arrive computed; the engine only splits


class EngineBackend:
    name = "engine"

    def __init__(self, url: str, *, alias: str = ALIAS):
        """``url`` may carry credentials (https://user:password@host:9200); TLS is verified
        against SAPA_SEARCH_ENGINE_CA_CERTS when set, else against the system's CAs."""
        from django.conf import settings

        self.url = url
        self.alias = alias
        options: dict[str, Any] = {"timeout": 30}
        if url.startswith("https://"):
            options["verify_certs"] = getattr(settings, "SAPA_SEARCH_ENGINE_VERIFY_CERTS", True)
            ca_certs = getattr(settings, "SAPA_SEARCH_ENGINE_CA_CERTS", "")
            if ca_certs:
                options["ca_certs"] = ca_certs
        self.client = Elasticsearch([url], **options)
        self._stats: dict[str, tuple] = {}  # key -> (entries holding it, when counted)
        self._stats_pruned = time.monotonic()
        self._knn: bool | None = None
        self._meaning_indexes: dict[str, bool] = {}  # index name -> has the meaning field
        self._lean: bool | None = None  # whether every index behind the alias keeps FIELDS only
        self._lean_asked = 0.0  # when that was asked

    @property
    def holds_meaning(self) -> bool:
        """Whether the engine runs the k-NN plugin (asked once): then the clauses' vectors
        live in the index and the engine finds the nearest."""
        if self._knn is None:
            plugins = self.client.cat.plugins(format="json")
            self._knn = any("knn" in str(p.get("component", "")).lower() for p in plugins)
        return self._knn

    # --- indexes --------------------------------------------------------------------------

    @property
    def index_name(self) -> str:
        names = list(self.client.indices.get_alias(name=self.alias)) if self._alias_exists() else []
        return names[0] if names else ""

    def _alias_exists(self) -> bool:
        return bool(self.client.indices.exists_alias(name=self.alias))

    def _new_index(self) -> str:
        stamp = f"{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6}"
        name = f"{self.alias}-v{SCHEMA_VERSION}-{stamp}"
        index = Index(name, using=self.client)
        index.document(EntryDocument)
        # A clause's meaning vector (384 numbers) is the engine's to compare, never read back:
        # kept out of the stored source, which then holds the entry's fields only, so that a
        # search takes the source whole (``_source_asked``).
        index.mapping(Mapping().meta("_source", excludes=[MEANING]))
        if self.holds_meaning:
            index.settings(**{"index.knn": True})
            index.mapping(Mapping().field(MEANING, _meaning_field()))
        index.create()
        self._lean = None  # asked again at the next search
        return name

    def ensure(self) -> str:
        if not self._alias_exists():
            name = self._new_index()
            self.client.indices.put_alias(index=name, name=self.alias)
        return self.index_name

    # --- writing --------------------------------------------------------------------------

    def _actions(self, entries: list[Entry], index: str, meaning=None):
        """Index actions for ``entries``; with ``meaning`` (entry id -> unit vector), a
        clause's vector in its entry, where the index has the field (an index made before the
        plugin was installed gets it at the next ``search_index rebuild``)."""
        meaning = meaning if meaning and self._has_meaning_field(index) else {}
        for entry in entries:
            source = entry.as_dict()
            vector = meaning.get(entry.entry_id)
            if vector is not None:
                source[MEANING] = list(vector)
            yield {"_index": index, "_id": entry.entry_id, "_source": source}

    def upsert(self, entries: list[Entry], meaning=None) -> None:
        """Bulk-write the entries (with their vectors, ``meaning``: ``_actions``), then one
        refresh (not one per chunk) so they are found."""
        self._stats.clear()
        index = self.ensure()
        bulk(self.client, self._actions(entries, index, meaning), chunk_size=BULK_CHUNK)
        self.client.indices.refresh(index=index)

    def _has_meaning_field(self, index: str) -> bool:
        if index not in self._meaning_indexes:
            mapping = self.client.indices.get_mapping(index=index)[index]["mappings"]
            self._meaning_indexes[index] = MEANING in mapping.get("properties", {})
        return self._meaning_indexes[index]

    def nearest(self, vector: list[float], query: SearchQuery, depth: int) -> list[Hit]:
        """The ``depth`` clauses closest in meaning that ``query``'s user may get, closest
        first: the engine's k-NN search with the query's filters inside it (so the depth is
        counted among the allowed clauses only). An index without the field (made before the
        plugin was installed) is refused by the engine: the caller answers by words."""
        knn = {"vector": list(vector), "k": depth}
        filters = self._filters(query)
        if filters:
            knn["filter"] = EQ("bool", filter=filters).to_dict()
        body = {"size": depth, "query": {"knn": {MEANING: knn}}, "_source": self._source_asked()}
        try:
            response = self.client.search(index=self.alias, body=body)
        except NotFoundError:
            return []
        return [_hit(hit) for hit in response["hits"]["hits"]]

    def delete_object(self, object_key: str) -> None:
        self._stats.clear()
        index = self.ensure()
        kind, _sep, pk = object_key.partition(":")
        if kind == "document":
            body = {
                "query": {
                    "bool": {
                        "filter": [{"term": {"type": "clause"}}, {"term": {"document_id": int(pk)}}]
                    }
                }
            }
        else:
            body = {"query": {"term": {"entry_id": object_key}}}
        self.client.delete_by_query(index=index, body=body, refresh=True, conflicts="proceed")

    def rebuild(self, entries: list[Entry], meaning=None) -> None:
        self._stats.clear()
        old = [self.index_name] if self._alias_exists() else []
        name = self._new_index()
        bulk(self.client, self._actions(entries, name, meaning), chunk_size=BULK_CHUNK)
        self.client.indices.refresh(index=name)
        actions = [{"add": {"index": name, "alias": self.alias}}]
        actions += [{"remove": {"index": index, "alias": self.alias}} for index in old if index]
        self.client.indices.update_aliases(body={"actions": actions})
        for index in old:
            if index:
                self.client.indices.delete(index=index, ignore=[404])

    # --- reading --------------------------------------------------------------------------

    def all_versions(self) -> dict[str, str]:
        if not self._alias_exists():
            return {}
        return {
            hit["_source"]["entry_id"]: hit["_source"]["version"]
            for hit in scan(self.client, index=self.alias, _source=["entry_id", "version"])
        }

    def entries_for(self, prefix: str) -> list[dict[str, Any]]:
        if not self._alias_exists():
            return []
        search = Search(using=self.client, index=self.alias).filter("prefix", entry_id=prefix)
        search = search.source(["entry_id", "version"]).sort("entry_id")[:1000]
        index = self.index_name
        return [
            {"entry_id": h.entry_id, "version": h.version, "index": index} for h in search.execute()
        ]

    def stats(self, keys: list[str], loose: list[str] = ()) -> Stats:
        """What ranking needs, from the index's own term statistics: one term-vectors request
        over an artificial document of the keys gives each key's document frequency and the
        field's totals (Lucene's numbers, cheap at any size); a phrase of keys is counted by
        a filters aggregation (a full pass over the index; such phrases come from the
        equivalent terms, a small set). Both are remembered for STATS_TTL seconds, and
        forgotten at once when this backend writes: statistics move slowly, and ranking
        needs them for every search."""
        now = time.monotonic()
        stale = now - STATS_TTL
        if self._stats_pruned < stale:
            # What has gone stale is forgotten once a while, not looked through at each
            # search: a worker that runs for days is asked for tens of thousands of keys.
            self._stats = {k: held for k, held in self._stats.items() if held[1] >= stale}
            self._stats_pruned = now

        def fresh(key: str) -> bool:
            held = self._stats.get(key)
            return held is not None and held[1] >= stale

        words = [k for k in keys if " " not in k and not fresh(k)]
        phrases = [k for k in keys if " " in k and not fresh(k)]
        folded = [k for k in loose if " " not in k and not fresh(f"loose:{k}")]
        try:
            if words or not fresh(""):
                self._term_statistics(words, now)
            if folded:
                self._term_statistics(folded, now, field="loose")
            if phrases:
                search = Search(using=self.client, index=self.alias).extra(size=0)
                search.aggs.bucket(
                    "phrases", "filters", filters={p: EQ("match_phrase", keys=p) for p in phrases}
                )
                buckets = self.client.search(index=self.alias, body=search.to_dict())
                for key, bucket in buckets["aggregations"]["phrases"]["buckets"].items():
                    self._stats[key] = (bucket["doc_count"], now)
        except NotFoundError:
            return Stats(
                entries=0,
                average_length=0.0,
                frequency=dict.fromkeys(keys, 0),
                loose_frequency=dict.fromkeys(loose, 0),
            )
        entries, total_length = self._stats[""][0]
        return Stats(
            entries=entries,
            average_length=total_length / entries if entries else 0.0,
            frequency={key: self._stats[key][0] for key in keys},
            loose_frequency={key: self._stats.get(f"loose:{key}", (0,))[0] for key in loose},
        )

    def _term_statistics(self, words: list[str], now: float, field: str = "keys") -> None:
        """Document frequencies of ``words`` in ``field`` (remembered as "loose:<key>" for
        the loose field); the keys field's totals too."""
        vectors = self.client.termvectors(
            index=self.alias,
            body={
                "doc": {field: " ".join(words) or "-"},
                "fields": [field],
                "term_statistics": True,
                "field_statistics": True,
                "positions": False,
                "offsets": False,
            },
        )
        vector = vectors.get("term_vectors", {}).get(field, {})
        terms = vector.get("terms", {})
        prefix = "" if field == "keys" else f"{field}:"
        for key in words:
            self._stats[prefix + key] = (terms.get(key, {}).get("doc_freq", 0), now)
        if field == "keys":
            # "" holds the field's totals: (entries with keys, their summed length)
            totals = vector.get("field_statistics", {})
            self._stats[""] = ((totals.get("doc_count", 0), totals.get("sum_ttf", 0)), now)

    def _source_asked(self) -> bool | list[str]:
        """What a search asks of each hit's stored source: all of it where the indexes behind
        the alias keep the entry's fields only (made since the meaning vector is left out of
        it), else the fields by name. Taking the source whole spares the engine its filtering:
        at a million entries, the hundred candidates of a search came a fifth sooner (4-6 ms
        of 15-20, bench/search's queries replayed)."""
        now = time.monotonic()
        # Asked again a minute after a "no": another process (`search_index rebuild`) may
        # have put a new index behind the alias meanwhile.
        if self._lean is None or (not self._lean and self._lean_asked < now - STATS_TTL):
            try:
                mappings = self.client.indices.get_mapping(index=self.alias)
            except NotFoundError:
                return list(FIELDS)
            self._lean_asked = now
            self._lean = all(
                MEANING not in m["mappings"].get("properties", {})
                or MEANING in m["mappings"].get("_source", {}).get("excludes", [])
                for m in mappings.values()
            )
        return True if self._lean else list(FIELDS)

    def _filters(self, query: SearchQuery) -> list:
        scope = query.records
        if not scope.some:
            # No record is visible: leave records out by type, the cheapest filter there is.
            types = [kind for kind in query.types if kind != "record"]
            return [EQ("terms", type=types), *self._facet_filters(query)]
        filters = [EQ("terms", type=list(query.types))]
        if not scope.everything:
            allowed = [EQ("bool", must_not=[EQ("term", type="record")])]
            if scope.unit_ids:
                allowed.append(EQ("terms", unit_id=list(scope.unit_ids)))
            if scope.organisation_ids:
                allowed.append(EQ("terms", organisation_id=list(scope.organisation_ids)))
            if scope.series_ids:
                allowed.append(
                    EQ(
                        "bool",
                        filter=[
                            EQ("terms", series_id=list(scope.series_ids)),
                            EQ("term", confidential=False),
                        ],
                    )
                )
            filters.append(EQ("bool", should=allowed, minimum_should_match=1))
        return [*filters, *self._facet_filters(query)]

    def _facet_filters(self, query: SearchQuery) -> list:
        filters = [
            EQ("term", **{name: value})
            for name, value in query.filters.items()
            if name in FIELDS and value not in (None, "")
        ]
        if query.hidden_documents:
            filters.append(
                EQ("bool", must_not=[EQ("terms", document_id=list(query.hidden_documents))])
            )
        if query.entry_ids:
            filters.append(EQ("terms", entry_id=list(query.entry_ids)))
        return filters

    def search(self, query: SearchQuery) -> Results:
        """One request: the hits, the total and every facet."""
        must = []
        for i, alternatives in enumerate(query.words):
            should = [EQ("match_phrase", keys=alt) for alt in alternatives]
            loose = query.loose[i] if i < len(query.loose) else []
            should += [EQ("match", loose={"query": key, "boost": LOOSE_WEIGHT}) for key in loose]
            if query.fuzzy:
                should += [
                    EQ("fuzzy", **{name: {"value": key, "fuzziness": query.fuzzy}})
                    for name, keys in (("keys", alternatives), ("loose", loose))
                    for key in keys
                    if key and " " not in key
                ]
            must.append(EQ("bool", should=should, minimum_should_match=1))
        need = query.required_words or len(must)
        if need >= len(must):
            matched = EQ("bool", must=must or [EQ("match_all")], filter=self._filters(query))
        else:
            matched = EQ(
                "bool", should=must, minimum_should_match=need, filter=self._filters(query)
            )
        # The entries' fields only: a clause's meaning vector (384 numbers, 8 kB of JSON) is
        # the engine's to compare, and a hundred candidates carrying theirs took the whole
        # search at a million entries from p50 10 ms to 27 (bench/search).
        search = Search(using=self.client, index=self.alias).query(matched)
        search = search.source(self._source_asked())
        if query.candidates:
            sort: list = [{"_score": {"order": "desc"}}]
        else:
            sort = [_script_sort(SUPERSEDED_LAST)]
            if query.definitions_first:
                sort.insert(0, _script_sort(DEFINITIONS_FIRST))
            sort += [{"_score": {"order": "desc"}}, {"entry_id": {"order": "asc"}}]
            search = search.extra(track_scores=True)
        search = search.sort(*sort).extra(track_total_hits=True)
        for name in FACETS if query.counted else ():
            search.aggs.bucket(name, "terms", field=name, size=FACET_SIZE)
        body = search[query.offset : query.offset + query.limit].to_dict()
        try:
            response = self.client.search(index=self.alias, body=body)
        except NotFoundError:
            return Results(hits=[], total=0, facets={name: {} for name in FACETS})
        hits = [_hit(hit) for hit in response["hits"]["hits"]]
        aggregations = response.get("aggregations", {})
        facets = {
            name: {
                b["key"]: b["doc_count"]
                for b in aggregations.get(name, {}).get("buckets", ())
                if b["key"] not in ("", None)  # no value is not a facet value
            }
            for name in FACETS
        }
        return Results(hits=hits, total=response["hits"]["total"]["value"], facets=facets)


def _hit(hit: dict) -> Hit:
    source = hit["_source"]
    # A source taken whole holds every field (Entry.as_dict) and nothing else: it is the entry.
    entry = source if source.keys() == FIELDS.keys() else {c: source.get(c) for c in FIELDS}
    return Hit(entry=entry, score=hit.get("_score") or 0.0)


def _script_sort(source: str) -> dict:
    return {"_script": {"type": "number", "order": "asc", "script": {"source": source}}}
