"""The POST that Wagtail's page edit form sends, built from the page the admin rendered.

Inputs, text areas and selects are read from the HTML as a browser reads them (a checkbox
without a value posts "on", a text area drops its first newline, nothing inside a
``<template>`` is posted); the comments' management form and the scheduling dialog, which
Wagtail's JavaScript adds, are added. The StreamField is drawn in the browser from the block
definition and the value that the page carries as JSON (``data-w-block-arguments-value``), so
its fields are laid out here the way Wagtail's block JavaScript names them: ``body-count``,
``body-0-type``, ``-id``, ``-order``, ``-deleted``, ``-value-…``. bench/admin checks the count
against what Chromium really posts.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import bs4
from django.http import QueryDict
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock

BLOCK_ARGUMENTS = re.compile(
    r'<div id="(?P<name>[^"]+)" data-block[^>]*?data-w-block-arguments-value="(?P<json>[^"]*)"'
)


def _flatten(block: blocks.Block, state: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(block, blocks.BaseStreamBlock):
        state = state or []
        out[f"{prefix}-count"] = str(len(state))
        for i, child in enumerate(state):
            p = f"{prefix}-{i}"
            out[f"{p}-deleted"] = ""
            out[f"{p}-order"] = str(i)
            out[f"{p}-type"] = child["type"]
            out[f"{p}-id"] = child.get("id") or ""
            _flatten(block.child_blocks[child["type"]], child["value"], f"{p}-value", out)
    elif isinstance(block, blocks.ListBlock):
        state = state or []
        out[f"{prefix}-count"] = str(len(state))
        for i, item in enumerate(state):
            p = f"{prefix}-{i}"
            out[f"{p}-deleted"] = ""
            out[f"{p}-order"] = str(i)
            out[f"{p}-type"] = ""
            out[f"{p}-id"] = item.get("id") or ""
            _flatten(block.child_block, item["value"], f"{p}-value", out)
    elif isinstance(block, blocks.BaseStructBlock):
        for name, child in block.child_blocks.items():
            _flatten(child, (state or {}).get(name), f"{prefix}-{name}", out)
    elif isinstance(block, TableBlock):
        out[prefix] = json.dumps(state)
    elif isinstance(block, blocks.ChooserBlock):
        out[prefix] = str(state["id"]) if state else ""
    else:
        out[prefix] = "" if state is None else str(state)


def stream_state(page_html: str) -> dict[str, Any]:
    """Each StreamField of the rendered form: its name and the value the browser starts from."""
    return {
        m.group("name"): json.loads(html.unescape(m.group("json")))[0]
        for m in BLOCK_ARGUMENTS.finditer(page_html)
    }


def _form_fields(page_html: str, form_id: str) -> QueryDict:
    soup = bs4.BeautifulSoup(page_html, "html.parser")
    form = soup.find("form", id=form_id)
    if form is None:
        raise LookupError(f"no form {form_id!r} on the page")
    # Dialogs that Wagtail's JavaScript moves into the form (scheduled publishing) post too.
    moved = soup.find_all("template", attrs={"data-w-teleport-target-value": "[data-edit-form]"})
    data = QueryDict(mutable=True)
    elements = form.find_all(["input", "textarea", "select"])
    for template in moved:
        elements += template.find_all(["input", "textarea", "select"])
    for element in elements:
        name = element.get("name")
        inert = element.find_parent("template")
        if not name or name == "csrfmiddlewaretoken" or (inert and inert not in moved):
            continue
        if element.name == "textarea":
            text = element.get_text()
            data.appendlist(name, text[1:] if text.startswith("\n") else text)
        elif element.name == "select":
            chosen = element.find_all("option", selected=True) or element.find_all("option")[:1]
            for option in chosen:
                data.appendlist(name, option.get("value", option.get_text()))
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.appendlist(name, element.get("value", "on"))
        elif element.get("type") not in ("submit", "button", "image", "reset", "file"):
            data.appendlist(name, element.get("value", ""))
    return data


def edit_post_data(page_html: str, page) -> QueryDict:
    """What "Save draft" posts for ``page`` unchanged, read from its rendered edit form."""
    data = _form_fields(page_html, "page-edit-form")
    for key, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0"), ("MAX_NUM", "")):
        data.setdefault(f"comments-{key}_FORMS", value)
    form_class = type(page).get_edit_handler().get_form_class()
    for name, state in stream_state(page_html).items():
        out: dict[str, str] = {}
        _flatten(form_class.base_fields[name].block, state, name, out)
        for key, value in out.items():
            data[key] = value
    return data


def set_clause_text(data: QueryDict, number: str, text: str, field: str = "body") -> str:
    """Change the text of clause ``number`` in the posted data; returns the field's name."""
    for key, value in data.items():
        if key.endswith("-value-number") and value == number and key.startswith(field + "-"):
            name = key[: -len("number")] + "text"
            if name in data:
                data[name] = text
                return name
    raise LookupError(f"no clause {number} in the form")
