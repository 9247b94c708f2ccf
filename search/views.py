"""The search page staff use: one box, results grouped, paged, facets, suggestions."""

from __future__ import annotations

import difflib
import re
from math import ceil
from pathlib import Path
from typing import Any

from django.template.response import TemplateResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Site

from sapa.documents.models import (
    ControlledDocument,
    Edition,
    FormCitation,
    Organisation,
    QmsForm,
    Unit,
)
from sapa.documents.templatetags.documents_tags import edition_name_of

from .backends.base import FACETS
from .highlight import snippet
from .services import SearchPage, clause_order, hidden_document_ids, record_scope, search_for

PAGE_SIZE = 20
LABELS = {
    "organisation_id": _("Organisation"),
    "kind": _("Kind"),
    "unit_id": _("Unit"),
    "form_code": _("Form"),
    "year": _("Year"),
    "status": _("Status"),
}
# A quality record's identifier as printed ("715-08/2025-2026-1/ИТИ/0001"): a slash, then
# an academic or calendar year range. Staff who typed one read only "Nothing found".
RECORD_IDENTIFIER = re.compile(r"/\s*\d{4}(?:-\d{4})?\b")
LATIN_ONLY = re.compile(r"[\sA-Za-z'’.,?!-]*[A-Za-z][\sA-Za-z'’.,?!-]*")
VALUE_LABELS = {
    "procedure": _("Documented procedure"),
    "job_instruction": _("Job instruction"),
    "record": _("Quality record"),
    "Ү": _("Template (Ү)"),
    "Ф": _("Form (Ф)"),
    "in_force": _("In force"),
    "superseded": _("Superseded"),
    "open": _("Open"),
    "closed": _("Closed"),
    "disposed": _("Disposed"),
}


def suggestions(text: str, hidden_documents: tuple[int, ...] = ()) -> list[str]:
    """Nearest document and form codes and title words, when nothing matched (never of a
    document the user may not open)."""
    documents = ControlledDocument.objects.live().exclude(pk__in=hidden_documents)
    vocabulary = set(documents.exclude(code="").values_list("code", flat=True))
    vocabulary |= set(QmsForm.objects.values_list("code", flat=True))
    for title in documents.values_list("title", flat=True):
        vocabulary |= {word.lower() for word in title.split() if len(word) > 3}
    # A code with the query's numbers is what was meant, whatever its letters ("715-01 Ф"
    # for the form ҚазҰТЗУ 715-01 Ү: a tester was offered 715-06 Ф first).
    numbers = re.findall(r"\d+", text)
    same = sorted(code for code in vocabulary if numbers and re.findall(r"\d+", code) == numbers)
    near = difflib.get_close_matches(
        text.strip().lower(), sorted(vocabulary), n=5, cutoff=0.6
    ) or difflib.get_close_matches(text.strip(), sorted(vocabulary), n=5, cutoff=0.5)
    return list(dict.fromkeys([*same, *near]))[:5]


def query_string(text: str, filters: dict[str, Any], **changes: Any) -> str:
    """The page's address for the same query and filters, with ``changes`` (a value of ""
    drops a filter; page 1 is left out)."""
    params = {"q": text, **{k: v for k, v in filters.items() if v not in (None, "")}}
    for key, value in changes.items():
        if value in (None, "") or (key == "page" and value == 1):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params)


def facet_links(facets: dict, text: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Each facet with its values; a value's link adds it to the current filters (or takes
    it away again when it is the selected one) and goes back to the first page."""
    names = {
        "organisation_id": dict(Organisation.configured().values_list("pk", "short_name")),
        "unit_id": {u.pk: u.short_name or u.name for u in Unit.objects.all()},
    }
    out = []
    for field in FACETS:
        values = []
        for value, count in (facets.get(field) or {}).items():
            selected = filters.get(field) == value
            target = "" if selected else value
            values.append(
                {
                    "label": names.get(field, {}).get(value) or VALUE_LABELS.get(value, value),
                    "count": count,
                    "selected": selected,
                    "url": query_string(text, filters, page=1, **{field: target}),
                }
            )
        # A chosen filter that nothing found is still shown, with the link that takes it
        # away: "Nothing found" must not hide what narrowed the search.
        chosen = filters.get(field)
        if chosen not in (None, "") and not any(v["selected"] for v in values):
            values.insert(
                0,
                {
                    "label": names.get(field, {}).get(chosen) or VALUE_LABELS.get(chosen, chosen),
                    "count": 0,
                    "selected": True,
                    "url": query_string(text, filters, page=1, **{field: ""}),
                },
            )
        if values:  # a facet with nothing to choose is not offered (nor the link to the filters)
            out.append({"field": field, "label": LABELS[field], "values": values})
    return out


def page_links(number: int, pages: int, text: str, filters: dict[str, Any]) -> list:
    """(number, address) of the pages to offer: the first, the last and two either side of
    the current one; (None, "") stands for a gap."""
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    links: list[tuple[int | None, str]] = []
    for n in shown:
        if links and links[-1][0] is not None and n - links[-1][0] > 1:
            links.append((None, ""))
        links.append((n, query_string(text, filters, page=n)))
    return links


def local_url(url: str, request) -> str:
    """``url`` as a link on the host in use. The index keeps a page's address on its own
    site (``http://kaznrtu.localhost/docs/…``); a page that the requested site also serves
    (the portal on 127.0.0.1 serves ``/kaznrtu/docs/…``) gets a path on this host, the way
    Wagtail's ``page.get_url(request)`` does, so that the session goes along."""
    if not url or url.startswith("/"):
        return url
    roots = Site.get_site_root_paths()
    site = Site.find_for_request(request)
    here = next((root for root in roots if site and root.site_id == site.pk), None)
    for root in roots:
        base = root.root_url.rstrip("/")
        if url == base or url.startswith(base + "/"):
            internal = iri_to_uri(root.root_path) + url[len(base) + 1 :]
            prefix = iri_to_uri(here.root_path) if here else None
            if prefix and internal.startswith(prefix):
                return "/" + internal[len(prefix) :]
            return url
    return url


def present(page: SearchPage, request) -> None:
    """What each result shows besides the index entry: its link on the host in use and the
    document it belongs to (code, else title: a job instruction may have no code; with its
    organisation's short name where the code does not hold it)."""
    entries = [entry for group in page.groups.values() for entry in group]
    entries += [child for entry in entries for child in entry.get("children", ())]
    entries += [old for entry in entries for old in entry.get("earlier", ())]
    ids = {entry["document_id"] for entry in entries if entry.get("document_id")}
    # and whose it is, where its code does not say: "«Ментор» 2.1" among ҚазҰТЗУ's clauses
    # was another university's rule, unmarked (a tester)
    documents = {}
    for pk, code, title, owner in ControlledDocument.objects.filter(pk__in=ids).values_list(
        "pk", "code", "title", "organisation__short_name"
    ):
        label = code or f"«{title}»"
        documents[pk] = f"{owner} {label}" if owner and owner not in label else label
    # a superseded edition as the interface names it ("Edition 1"), not as the text prints it
    editions = {
        (edition.document_id, edition.label): edition_name_of(edition)
        for edition in Edition.objects.filter(document_id__in=ids)
    }
    _forms_cited(entries, page)
    for entry in entries:
        entry["url"] = local_url(entry["url"], request)
        entry["document_label"] = documents.get(entry.get("document_id")) or entry.get(
            "document_code", ""
        )
        if entry.get("edition"):
            entry["edition"] = editions.get(
                (entry.get("document_id"), entry["edition"]), entry["edition"]
            )


def _forms_cited(entries: list[dict[str, Any]], page: SearchPage) -> None:
    """A form found shows its description and, labelled, the clauses that cite it (its
    entry's text is the two run together, and a form without a description showed a bare
    "6.1, 7.2", a tester), and a link to download its template file."""
    ids = {
        int(entry["entry_id"].partition(":")[2]): entry
        for entry in entries
        if entry.get("type") == "form"
    }
    if not ids:
        return
    cited: dict[int, set[str]] = {pk: set() for pk in ids}
    for form_id, clause in FormCitation.objects.filter(form_id__in=ids).values_list(
        "form_id", "clause"
    ):
        if clause:
            cited[form_id].add(clause)
    forms = {
        form.pk: form for form in QmsForm.objects.filter(pk__in=ids).select_related("template_file")
    }
    for pk, entry in ids.items():
        entry["cited_in"] = ", ".join(sorted(cited[pk], key=clause_order))
        form = forms.get(pk)
        description = form.description if form else ""
        # its template to download from the result, as from its page (a tester went to the
        # form's page for it)
        if form and form.template_file:
            entry["download_url"] = form.template_file.url
            entry["download_format"] = Path(form.template_file.file.name).suffix.lstrip(".").upper()
        entry["snippet"] = (
            snippet(description, page.words, loose=page.loose) if description.strip() else ""
        )


def content_language() -> str:
    try:
        return Locale.get_default().language_code
    except Locale.DoesNotExist:
        return ""


def search_view(request):
    text = request.GET.get("q", "").strip()
    filters = {field: request.GET.get(field, "") for field in FACETS}
    for field in ("organisation_id", "unit_id", "year"):
        filters[field] = int(filters[field]) if filters[field].isdigit() else ""
    # the language the indexed texts are written in, so that a screen reader (and the
    # language check of the journeys) reads titles and snippets as content, not interface
    context = {
        "q": text,
        "selected": filters,
        "content_language": content_language(),
        # the heading names the records only to those who may find some (staff may not)
        "finds_records": record_scope(request.user).some,
    }
    context["records_not_searched"] = (
        not context["finds_records"] and RECORD_IDENTIFIER.search(text) is not None
    )
    if text:
        hidden = hidden_document_ids(request.user, request.session)
        asked = request.GET.get("page", "1")
        number = int(asked) if asked.isdigit() and int(asked) > 0 else 1
        # "as_typed": the words as typed, none spelled back with Kazakh letters
        as_typed = request.GET.get("as_typed") == "1"

        def results_page(number: int):
            return search_for(
                request.user,
                text,
                filters=filters,
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
                hidden_documents=hidden,
                respell=not as_typed,
            )

        def unfiltered_hits() -> int:
            found = search_for(
                request.user, text, limit=1, hidden_documents=hidden, respell=not as_typed
            )
            return found.results.total

        page = results_page(number)
        pages = max(1, ceil(page.results.total / PAGE_SIZE))
        if number > pages:  # past the end (an old link): the last page
            number = pages
            page = results_page(number)
        present(page, request)
        first = (number - 1) * PAGE_SIZE + 1
        # Links to other pages and filters search for what this page searched for.
        searched = page.text if page.typed else text
        kept = {**filters, "as_typed": "1"} if as_typed else filters
        context.update(
            {
                "page": page,
                "facets": facet_links(page.results.facets, searched, kept),
                "as_typed_url": query_string(text, filters, as_typed="1") if page.typed else "",
                "suggestion_url": query_string(page.suggestion, filters) if page.suggestion else "",
                "pagination": {
                    "number": number,
                    "pages": pages,
                    "first": first,
                    "last": first + len(page.results.hits) - 1,
                    "links": page_links(number, pages, searched, kept),
                    "previous": query_string(searched, kept, page=number - 1) if number > 1 else "",
                    "next": query_string(searched, kept, page=number + 1) if number < pages else "",
                },
                # Other words only when the words themselves find nothing: when the filters
                # emptied the page, their remove links are the way out ("МЗТО" within АӨУ
                # was offered "ментор").
                "suggestions": suggestions(text, hidden)
                if page.words
                and not page.results.total
                and not (any(v not in (None, "") for v in filters.values()) and unfiltered_hits())
                else [],
                "no_words": not page.words,
                # Words in Latin letters only ("dormitory place"): the regulations are in
                # Kazakh, and the page says so when nothing is found.
                "in_latin_letters": bool(LATIN_ONLY.fullmatch(text)),
            }
        )
    return TemplateResponse(request, "search/search.html", context)
