"""Who sees and does what: a role × action matrix over the records pages, the confidential
rule, and the log of every look."""

import csv
import html
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from records.models import AccessAction, AccessLogEntry
from records.permissions import visible_records
from sapa.localisation.dates import format_date
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "quality", "auditor", "keeper", "keeper_other", "granted", "staff"]


@pytest.fixture
def records(world, pdf_bytes):
    plan = make_record(world, title="ИТИ жоспары")
    attach(plan, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    secret = make_record(world, series=world.certificates, title="Студенттің әлеуметтік анықтамасы")
    attach(secret, pdf_bytes, "анықтама.pdf", user=world.users["keeper"])
    chair = make_record(
        world, unit=world.chair, title="Кафедра жоспары", user=world.users["keeper_other"]
    )
    return {"plan": plan, "secret": secret, "chair": chair}


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


# role: (records seen in the list, may file new records, may export, may read the access log,
#        may manage retention)
MATRIX = {
    "anonymous": (set(), False, False, False, False),
    "quality": ({"plan", "secret", "chair"}, True, True, True, True),
    "auditor": ({"plan", "secret", "chair"}, False, True, True, False),
    "keeper": ({"plan", "secret"}, True, False, False, False),
    "keeper_other": ({"chair"}, True, False, False, False),
    "granted": ({"plan", "chair"}, False, False, False, False),  # not the confidential one
    "staff": (set(), False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, world, records, role):
    seen, create, export, log, manage = MATRIX[role]
    login(client, world, role)
    visible = (
        {
            name
            for name, rec in records.items()
            if visible_records(world.users.get(role)).filter(pk=rec.pk).exists()
        }
        if role != "anonymous"
        else set()
    )
    assert visible == seen

    listing = client.get(reverse("records:list"))
    if role == "anonymous":
        assert listing.status_code == 302 and "/accounts/login/" in listing.url
    else:
        html = listing.content.decode()
        for name, rec in records.items():
            assert (rec.identifier in html) == (name in seen), (role, name)

    for name, rec in records.items():
        detail = client.get(reverse("records:detail", args=(rec.pk,)))
        history = client.get(reverse("records:history", args=(rec.pk,)))
        expected = 200 if name in seen else (302 if role == "anonymous" else 404)
        assert (detail.status_code, history.status_code) == (expected, expected), (role, name)
        entry = rec.files.first()
        if entry:
            download = client.get(reverse("records:download", args=(entry.pk,)))
            assert download.status_code == expected, (role, name)

    create_page = client.get(reverse("records:create"))
    assert (create_page.status_code == 200) == create
    exported = client.get(reverse("records:export"))
    assert (exported.status_code == 200) == export
    assert (client.get(reverse("records:access_log")).status_code == 200) == log
    assert (client.get(reverse("records:retention")).status_code == 200) == manage

    upload = client.post(reverse("records:file_add", args=(records["plan"].pk,)), {"reason": "x"})
    may_edit = role in ("quality", "keeper")
    assert (upload.status_code == 200) == may_edit  # 200 = the form (with its errors)


def test_auditor_is_read_only(client, world, records, pdf_bytes):
    client.force_login(world.users["auditor"])
    plan = records["plan"]
    response = client.post(
        reverse("records:file_add", args=(plan.pk,)),
        {"reason": "x", "file": io.BytesIO(pdf_bytes)},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("records:close", args=(plan.pk,)), {"reason": "x"}).status_code == 403
    )
    assert client.get(reverse("records:create")).status_code == 403
    assert plan.files.count() == 1
    # Each refused attempt is in the log, with the record and the address asked for.
    refused = AccessLogEntry.objects.filter(username="auditor", action=AccessAction.DENIED)
    asked = [(entry.record_id, entry.detail["path"]) for entry in refused.order_by("pk")]
    assert asked == [
        (plan.pk, reverse("records:file_add", args=(plan.pk,))),
        (plan.pk, reverse("records:close", args=(plan.pk,))),
        (None, reverse("records:create")),
    ]
    log = client.get(reverse("records:access_log")).content.decode()
    # what was tried, in words (an auditor read the bare address "/records/5/edit/")
    with translation.override("kk"):
        tried = [gettext(f"to {what}") for what in ("add a file to a record", "close a record")]
        tried.append(gettext("to file a new record"))
    assert all(words in log for words in tried) and plan.identifier in log
    assert reverse("records:create") not in log


def test_keeper_files_a_record_through_the_pages(client, world, pdf_bytes):
    client.force_login(world.users["keeper"])
    response = client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары 2025",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
        },
    )
    assert response.status_code == 302
    record = world.plans.records.get()
    upload = io.BytesIO(pdf_bytes)
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:file_add", args=(record.pk,)), {"reason": "қол қойылды", "file": upload}
    )
    assert response.status_code == 302
    assert record.files.get().name == "жоспар.pdf"
    # Not in another unit
    response = client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.chair.pk,
            "title": "x",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
        },
    )
    assert response.status_code == 200 and world.plans.records.count() == 1


def test_every_look_is_logged_with_who_and_where(client, world, records):
    client.force_login(world.users["auditor"])
    plan = records["plan"]
    entry = plan.files.get()
    client.get(
        reverse("records:detail", args=(plan.pk,)),
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="Audit/1.0",
    )
    client.get(reverse("records:download", args=(entry.pk,)), REMOTE_ADDR="10.1.2.3")
    client.get(reverse("records:history", args=(plan.pk,)), REMOTE_ADDR="10.1.2.3")
    log = list(AccessLogEntry.objects.filter(username="auditor").order_by("at", "pk"))
    assert [(e.action, e.record_id) for e in log] == [
        (AccessAction.VIEW, plan.pk),
        (AccessAction.DOWNLOAD, plan.pk),
        (AccessAction.HISTORY, plan.pk),
    ]
    assert log[1].file_id == entry.pk
    assert {e.ip_address for e in log} == {"10.1.2.3"} and log[0].user_agent == "Audit/1.0"

    html = client.get(reverse("records:access_log")).content.decode()
    assert "auditor" in html and "10.1.2.3" in html

    # A refused look is logged too, and says nothing about the record.
    client.force_login(world.users["staff"])
    refused = client.get(reverse("records:detail", args=(plan.pk,)), HTTP_ACCEPT_LANGUAGE="kk")
    assert refused.status_code == 404
    assert AccessLogEntry.objects.filter(username="staff", action=AccessAction.DENIED).exists()
    # The page says why, not "the address may be mistyped" (a tester read that), and no more.
    shown = refused.content.decode()
    assert "Мұндай жазба жоқ немесе оны көруге құқығыңыз жоқ." in shown
    assert "қате терілген" not in shown
    assert plan.identifier not in shown


def test_the_access_log_is_read_in_pages_of_fifty(client, world, records):
    # A hundred cards made one page too long to scroll on a phone (a tester).
    client.force_login(world.users["auditor"])
    for _ in range(30):
        client.get(reverse("records:detail", args=(records["plan"].pk,)))
        client.get(reverse("records:history", args=(records["plan"].pk,)))
    client.force_login(world.users["quality"])
    first = client.get(reverse("records:access_log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = re.findall(r"<tr><td>", first)
    assert len(rows) == 50
    assert " 1 / 2 " in first and 'href="?page=2"' in first
    second = client.get(reverse("records:access_log"), {"page": 2}, HTTP_ACCEPT_LANGUAGE="en")
    more = second.content.decode()
    assert len(re.findall(r"<tr><td>", more)) == AccessLogEntry.objects.count() - 50 > 0
    assert 'aria-label="previous page"' in more and 'aria-label="next page"' not in more


def test_the_log_cannot_be_rewritten(world, records, client):
    client.force_login(world.users["auditor"])
    client.get(reverse("records:detail", args=(records["plan"].pk,)))
    entry = AccessLogEntry.objects.first()
    entry.username = "someone else"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_export_from_the_pages_is_filtered_and_logged(client, world, records):
    client.force_login(world.users["auditor"])
    response = client.get(reverse("records:export"), {"form": "715-02"})
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = bundle.namelist()
    assert "manifest.json" in names and "manifest.csv" in names
    assert records["plan"].identifier.replace("/", "_") in " ".join(names)
    assert records["secret"].identifier.replace("/", "_") not in " ".join(names)
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT, username="auditor").exists()


def test_the_access_log_names_the_records_an_export_took_the_confidential_marked(
    client, world, records
):
    """An export's entry read "exported records" with an empty record column: nothing said
    which records, confidential ones among them, had left (a tester). The log names them,
    and the manifest marks the confidential ones."""
    client.force_login(world.users["auditor"])
    response = client.get(reverse("records:export"))
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = {row["identifier"]: row for row in json.loads(bundle.read("manifest.json"))}
    secret, plan = records["secret"].identifier, records["plan"].identifier
    assert manifest[secret]["confidential"] is True and manifest[plan]["confidential"] is False
    rows = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    column = rows[0].index(capfirst(translation.gettext("confidential")))
    by_identifier = {row[0]: row for row in rows[1:]}
    assert by_identifier[secret][column] == translation.gettext("Yes")
    assert by_identifier[plan][column] == ""
    # and what its retention is checked by: its date, closing, retention's end, any hold
    record = records["plan"]
    entry = manifest[plan]
    assert entry["record_date"] == record.record_date.isoformat()
    assert (entry["period_start"], entry["period_end"]) == (
        record.period_start.isoformat(),
        record.period_end.isoformat(),
    )
    assert entry["closed_on"] is None and entry["on_hold"] is False
    day = rows[0].index(translation.gettext("Record date"))
    assert by_identifier[plan][day] == format_date(record.record_date)

    page = client.get(reverse("records:access_log"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    exported = page[page.index('<details class="exported">') :]
    exported = exported[: exported.index("</details>")]
    assert f"{len(manifest)} запис" in exported
    assert re.search(rf"<li>{re.escape(secret)} <strong>конфиденциально</strong></li>", exported)
    assert f"<li>{plan}</li>" in exported


def test_long_lists_say_how_many_without_counting_everything(client, world, records, monkeypatch):
    monkeypatch.setattr("records.selectors.CappedPaginator.cap", 2)
    client.force_login(world.users["auditor"])
    with translation.override("kk"):
        capped = gettext("Records found: %(n)s+") % {"n": 2}
        one = gettext("Records found: %(n)s") % {"n": 1}
    assert capped in client.get(reverse("records:list")).content.decode()
    narrow = client.get(reverse("records:list"), {"unit": "ГК"}).content.decode()
    assert one in narrow and records["chair"].identifier in narrow


def test_the_access_log_is_narrowed_by_who_what_which_record_and_when(client, world, records):
    """An auditor read 89 rows of a short session, with nothing to narrow them by, and a
    search logged as "searched the records" without what was searched."""
    plan = records["plan"]
    client.force_login(world.users["auditor"])
    client.get(reverse("records:list"), {"q": "жоспар"})
    client.get(reverse("records:detail", args=(plan.pk,)))
    client.force_login(world.users["keeper"])
    client.get(reverse("records:detail", args=(plan.pk,)))
    client.force_login(world.users["quality"])
    url = reverse("records:access_log")

    def page(**filters) -> str:
        return " ".join(client.get(url, filters).content.decode().split())

    def rows(**filters) -> list[str]:
        shown = page(**filters)
        body = shown[shown.index("<tbody>") : shown.index("</tbody>")]
        return re.findall(r"<tr>(.*?)</tr>", body)

    assert len(rows()) == AccessLogEntry.objects.count()
    assert len(rows(who="auditor")) == AccessLogEntry.objects.filter(username="auditor").count()
    opened = rows(action=AccessAction.VIEW, record=plan.identifier[-7:])
    assert len(opened) == 2, opened  # the auditor's look and the keeper's
    searched = rows(who="auditor", action=AccessAction.LIST)
    with translation.override("kk"):
        text = gettext("text")
        backwards = gettext("The last day comes before the first.")
    assert len(searched) == 1, searched
    assert f'{text}: «<span translate="no">жоспар</span>»' in searched[0], searched
    assert rows(date_from="2001-01-01", date_to="2001-01-31") == []
    assert backwards in page(date_from="2026-02-01", date_to="2026-01-01")


def auditors_lists_logged(client, world, filters: dict, language: str) -> str:
    """The auditor asks for the records list with ``filters``; the access log's rows of
    their lists, as the quality office reads them in ``language``."""
    client.force_login(world.users["auditor"])
    client.get(reverse("records:list"), filters)
    client.force_login(world.users["quality"])
    shown = client.get(
        reverse("records:access_log"),
        {"who": "auditor", "action": AccessAction.LIST},
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    body = " ".join(shown[shown.index("<tbody>") : shown.index("</tbody>")].split())
    return html.unescape(body)


def test_a_list_asked_without_a_filter_is_logged_as_every_record_they_may_see(
    client, world, records
):
    """An auditor read an empty cell beside "searched the records" (now "listed the
    records") and could not tell what the list had shown: a list asked for without a filter
    says so."""
    body = auditors_lists_logged(client, world, {}, "ru")
    assert "без фильтра: все доступные записи" in body


def test_a_lists_filters_are_logged_as_the_form_named_them(client, world, records):
    """An auditor read «статус: «on_hold»» and «closed»: the status is logged by its name,
    and a day as days are written."""
    asked = {"status": "on_hold", "date_from": "2025-09-01"}
    body = auditors_lists_logged(client, world, asked, "en")
    assert "status: «on hold»" in body and "on_hold" not in body
    assert "from: 1 September 2025" in body or "from: «01» September 2025" in body, body


def test_someone_who_may_see_no_record_and_opens_one_is_in_the_log(client, world, records):
    """A tester's staff account opened a record's address and was refused; the auditor
    then found nothing of it in the access log."""
    plan = records["plan"]
    client.force_login(world.users["staff"])
    assert client.get(reverse("records:detail", args=(plan.pk,))).status_code in (403, 404)
    client.force_login(world.users["auditor"])
    shown = client.get(
        reverse("records:access_log"), {"who": "staff"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    body = " ".join(shown[shown.index("<tbody>") : shown.index("</tbody>")].split())
    assert "was refused access" in body and plan.identifier in body, body
