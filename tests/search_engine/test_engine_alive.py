"""The real search engine takes Kazakh text and gives it back intact, and an alias swaps atomically.

Through the client library Sapa uses: elasticsearch-dsl 7.4 on elasticsearch 7.13.
"""

import json
import threading
import unicodedata
import urllib.request

import pytest
from elasticsearch_dsl import Document, Index, Keyword, Search, Text

# elasticsearch 7.13 calls a urllib3 method that urllib3 1.26 marks deprecated: noise, not news.
pytestmark = pytest.mark.filterwarnings("ignore:HTTPResponse.getheaders:DeprecationWarning")

TITLE = "Эдвайзердің жұмыс жоспары"
# Every letter Kazakh adds to Russian's alphabet, small and capital.
LETTERS = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"


class Page(Document):
    title = Text(analyzer="standard")
    body = Text(analyzer="standard")
    slug = Keyword()


def make_index(es, name):
    index = Index(name, using=es)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(Page)
    index.create()
    return index


def save(es, index, doc_id, **fields):
    page = Page(**fields)
    page.meta.id = doc_id
    page.save(using=es, index=index)


def test_kazakh_text_round_trips(es, engine_url, index_prefix):
    assert unicodedata.is_normalized("NFC", TITLE)  # the test's own text is the usual NFC form
    name = f"{index_prefix}-pages"
    make_index(es, name)
    save(es, name, "1", title=TITLE, body=LETTERS, slug="advisor-plan")
    save(es, name, "2", title="Сапа саясаты", body="Университеттің сапа саясаты", slug="policy")
    es.indices.refresh(index=name)

    # A word of the title finds it, and only it.
    hits = Search(using=es, index=name).query("match", title="жоспары").execute()
    assert [hit.meta.id for hit in hits] == ["1"]
    # Capitals fold to small letters, Kazakh ones too (ЖҰМЫС -> жұмыс).
    hits = Search(using=es, index=name).query("match", title="ЖҰМЫС").execute()
    assert [hit.meta.id for hit in hits] == ["1"]
    hits = Search(using=es, index=name).query("match", body="өңір").execute()
    assert hits.hits.total.value == 0

    # What comes back is what went in, byte for byte.
    hit = Search(using=es, index=name).query("match", title="жоспары").execute()[0]
    assert hit.title.encode("utf-8") == TITLE.encode("utf-8")
    assert hit.body.encode("utf-8") == LETTERS.encode("utf-8")
    # And on the wire: the engine keeps the source as the client sent it, raw UTF-8.
    with urllib.request.urlopen(f"{engine_url}/{name}/_source/1", timeout=30) as response:
        raw = response.read()
    assert TITLE.encode("utf-8") in raw
    assert LETTERS.encode("utf-8") in raw
    assert json.loads(raw.decode("utf-8"))["title"] == TITLE


def test_alias_swaps_atomically(es, index_prefix):
    """A rebuild fills a new index, then moves the alias in one step: searches never see a hole."""
    alias = f"{index_prefix}-docs"
    old, new = f"{alias}-v1", f"{alias}-v2"
    make_index(es, old)
    save(es, old, "1", title=TITLE, body="ескі нұсқа", slug="old")
    es.indices.refresh(index=old)
    es.indices.put_alias(index=old, name=alias)

    make_index(es, new)
    save(es, new, "1", title=TITLE, body="жаңа нұсқа", slug="new")
    es.indices.refresh(index=new)

    # Search through the alias while it moves; each answer must hold exactly one document.
    seen, swapped, errors = [], threading.Event(), []

    def search_while_swapping():
        try:
            for _ in range(400):  # bounded, and it stops soon after the swap
                seen.append(Search(using=es, index=alias).query("match", title="жоспары").count())
                if swapped.is_set() and len(seen) > 5:
                    break
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    reader = threading.Thread(target=search_while_swapping)
    reader.start()
    es.indices.update_aliases(
        body={
            "actions": [
                {"remove": {"index": old, "alias": alias}},
                {"add": {"index": new, "alias": alias}},
            ]
        }
    )
    swapped.set()
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert not errors
    assert seen and set(seen) == {1}

    assert es.indices.get_alias(name=alias) == {new: {"aliases": {alias: {}}}}
    hits = Search(using=es, index=alias).query("match", title="жоспары").execute()
    assert [(hit.meta.index, hit.slug) for hit in hits] == [(new, "new")]

    # The old index can go; the alias still answers.
    es.indices.delete(index=old)
    assert Search(using=es, index=alias).count() == 1
