"""A long procedure made from a real one: the body of ҚазҰТЗУ 715 ҚП repeated, sections
renumbered so every number and anchor stays unique (four times 715 is about 60 printed
pages). The admin tests and bench/admin edit it as the quality office would."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from sapa.documents.models import AgreedBy, ControlledDocument, ProcedurePage

NUMBER = re.compile(r"^(\d+)(.*)$", re.S)


def _renumber(number: str, old: str, new: str) -> str:
    """ "3.1.5" of section 3 becomes "14.1.5" of section 14; other numbers stay as printed."""
    text = number or ""
    stripped = text.lstrip()
    if stripped == old or stripped.startswith(old + "."):
        return text[: len(text) - len(stripped)] + new + stripped[len(old) :]
    return text


def _fresh_ids(child: dict[str, Any]) -> None:
    """Give every stream child of a copy its own id, as a person pasting it would get."""
    if isinstance(child, dict):
        if "type" in child and "value" in child and "id" in child:
            child["id"] = str(uuid.uuid4())
        for value in child.values():
            if isinstance(value, dict | list):
                _fresh_ids(value)
    elif isinstance(child, list):
        for value in child:
            _fresh_ids(value)


def repeat_body(raw: list[dict[str, Any]], times: int = 4) -> list[dict[str, Any]]:
    """``raw`` (a body's raw StreamField data) ``times`` over; in copy k section n is numbered
    n + k × (highest section number), and so are its clauses, terms and references."""
    numbers = [
        int(m.group(1))
        for section in raw
        if (m := NUMBER.match(str(section["value"].get("number", "")).strip()))
    ]
    step = max(numbers, default=len(raw))
    body: list[dict[str, Any]] = []
    for k in range(times):
        for section in raw:
            section = copy.deepcopy(section)
            _fresh_ids(section)
            value = section["value"]
            old = str(value.get("number", "")).strip()
            if k and old.isdigit():
                new = str(int(old) + k * step)
                value["number"] = new
                for child in value.get("content") or []:
                    if isinstance(child["value"], dict) and "number" in child["value"]:
                        child["value"]["number"] = _renumber(child["value"]["number"], old, new)
            elif k:
                value["number"] = f"{old}-{k + 1}"
            body.append(section)
    return body


def create_long_procedure(
    source: ControlledDocument,
    *,
    user,
    times: int = 4,
    number: str = "999",
    publish: bool = True,
) -> ProcedurePage:
    """A new procedure beside ``source`` in its library: ``source``'s identity, approval
    sheet and body ``times`` over, published once so that edits make drafts, like 715."""
    source = source.specific
    library = source.get_parent().specific
    page = ProcedurePage(
        title=f"{source.title} ({times}×)",
        slug=f"{number}-kp",
        code=source.code.replace(source.number, number) if source.number else "",
        number=number,
        title_ru=source.title_ru,
        qms_level=source.qms_level,
        owning_unit=source.owning_unit,
        edition_number=source.edition_number,
        edition_version=source.edition_version,
        edition_label=source.edition_label,
        edition_date=source.edition_date,
        effective_date=source.effective_date,
        validity=source.validity,
        introduced_first_time=source.introduced_first_time,
        developed_unit=source.developed_unit,
        developed_position=source.developed_position,
        developed_person=source.developed_person,
        developed_date=source.developed_date,
        approver_position=source.approver_position,
        approver_name=source.approver_name,
        body=repeat_body(source.body.raw_data, times),
    )
    for line in source.agreed_by.all():
        page.agreed_by.add(
            AgreedBy(position=line.position, person=line.person, date=line.date, user=line.user)
        )
    library.add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return ProcedurePage.objects.get(pk=page.pk)


def create_one_paragraph_procedure(library, *, user, number: str = "998") -> ProcedurePage:
    """The smallest document there is: one section of one paragraph, no approval sheet."""
    page = ProcedurePage(
        title="Бір абзацты процедура",
        slug=f"{number}-kp",
        code=f"ҚазҰТЗУ {number} ҚП",
        number=number,
        edition_number=1,
        edition_label="№1 басылым",
        body=[
            {
                "type": "section",
                "value": {
                    "number": "1",
                    "title": "Міндеті",
                    "content": [
                        {
                            "type": "paragraph",
                            "value": "Осы процедура бір абзацтан тұрады.",
                            "id": str(uuid.uuid4()),
                        }
                    ],
                },
                "id": str(uuid.uuid4()),
            }
        ],
    )
    library.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    return ProcedurePage.objects.get(pk=page.pk)
