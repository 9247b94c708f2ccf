"""Factories for controlled documents: small, valid data; override what a test is about."""

import datetime
import itertools

import factory
import wagtail_factories

from sapa.documents.models import AgreedBy, ProcedurePage, RegisterEntry


class ProcedurePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProcedurePage

    title = "Білім алушыларға академиялық қолдау көрсету"
    slug = factory.Sequence(lambda n: f"{715 + n}-kp")
    number = factory.Sequence(lambda n: str(715 + n))
    code = factory.LazyAttribute(lambda o: f"ҚазҰТЗУ {o.number} ҚП")
    edition_number = 1
    edition_label = "№1 басылым"
    edition_date = datetime.date(2016, 7, 8)
    effective_date = datetime.date(2016, 7, 8)
    approval_order_number = "254-Б"
    approval_order_date = datetime.date(2016, 7, 8)
    live = False
    body = factory.LazyFunction(
        lambda: [
            {
                "type": "section",
                "value": {
                    "number": "7",
                    "title": "Эдвайзерлік жұмысты ұйымдастыру",
                    "content": [
                        {
                            "type": "clause",
                            "value": {
                                "number": "7.2",
                                "title": "",
                                "text": "Тағайындалған эдвайзер жасайды:",
                                "items": ["эдвайзердің жұмыс жоспарын (ҚазҰТЗУ 715-02 Ү);"],
                            },
                        }
                    ],
                },
            }
        ]
    )


_LINE_ORDER = itertools.count()


def agreed(position: str, person: str, *, user=None, date=None) -> AgreedBy:
    """A КЕЛІСІЛДІ line; lines made one after another keep that order on the sheet, as the
    admin's and the importer's do (a line without its place would be ordered by chance)."""
    return AgreedBy(
        position=position, person=person, user=user, date=date, sort_order=next(_LINE_ORDER)
    )


def register_row(number: str = "1", **overrides) -> RegisterEntry:
    fields = {
        "change_number": number,
        "section_clause": "7.2",
        "change_type": "modify",
        "notice_number": f"№{number}",
        "notice_date": datetime.date(2017, 9, 12),
        "entered_date": datetime.date(2017, 9, 15),
        "entered_by": "Аршабекова Г.",
        "entered_position": "сектор меңгерушісі",
    }
    fields.update(overrides)
    return RegisterEntry(**fields)
