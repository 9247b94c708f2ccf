"""A document's body rendered once per text, not once per reader.

The body of 715 is ~100 blocks: decoding and rendering them was most of its page's time.
What the body shows depends only on

- the body's own text (the page's or a revision's StreamField data),
- the documents it links to (reference and records blocks): live or not, address, title,
- the site the page is asked from (a link to a page of another site is a full address),
- and, to be safe, the interface language,

never on who reads it: no block shows anything by permission. All of these make the cache
key, so that a published change, a moved or withdrawn linked document, another site or
another language each get their own rendering, in every process at once (nothing to
invalidate: a key of a text nobody shows any more simply ages out of the cache).

The outline (contents and anchors) depends on the body's text alone and is kept the same way.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, Site

from .outline import build_outline

CACHE = "document_bodies"
BODY_TEMPLATE = "documents/body.html"
#: The struct fields of body blocks that name another document (PageChooserBlock).
LINK_FIELDS = {"reference": "document", "records": "procedure"}


def _cache():
    return caches[CACHE]


def body_digest(page) -> str:
    """A digest of the body's stored text (the same JSON a revision keeps)."""
    data = list(page.body.raw_data)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _linked_ids(raw) -> set[int]:
    """Ids of the pages the body's reference and records blocks link to, from the raw data."""
    found: set[int] = set()
    stack = [raw]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            field = LINK_FIELDS.get(item.get("type"))
            value = item.get("value")
            linked = value.get(field) if field and isinstance(value, dict) else None
            if isinstance(linked, int) or (isinstance(linked, str) and linked.isdigit()):
                found.add(int(linked))
            stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return found


def outline_of(page, digest: str | None = None):
    """``build_outline(page.body)``, computed once per body text."""
    digest = digest or body_digest(page)
    key = f"outline:{digest}"
    outline = _cache().get(key)
    if outline is None:
        outline = build_outline(page.body)
        _cache().set(key, outline)
    return outline


def rendered_body(page, *, anchors: dict, request) -> str:
    """The body's HTML as ``documents/body.html`` renders it for this request."""
    raw = list(page.body.raw_data)
    digest = body_digest(page)
    links = sorted(
        Page.objects.filter(pk__in=_linked_ids(raw)).values_list("pk", "live", "url_path", "title")
    )
    site = Site.find_for_request(request) if request is not None else None
    context_key = json.dumps(
        [
            links,
            site.pk if site else None,
            [tuple(root) for root in Site.get_site_root_paths()],
            get_language(),
        ],
        ensure_ascii=False,
        default=str,
    )
    key = "body:" + digest + ":" + hashlib.sha256(context_key.encode()).hexdigest()
    html = _cache().get(key)
    if html is None:
        html = render_to_string(
            BODY_TEMPLATE, {"page": page, "self": page, "anchors": anchors, "request": request}
        )
        _cache().set(key, html)
    return mark_safe(html)  # rendered by our own template, which escapes what it shows
