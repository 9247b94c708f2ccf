"""Who may see a record reaches the search index with the change itself, and destruction
destroys: the series made confidential, a record moved, grants, keepers and memberships, the
disposition certificate of confidential records, and the text of destroyed files."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import (
    Confidentiality,
    KeeperAssignment,
    OrganisationMembership,
    QualityRecord,
    RecordFile,
    RecordSeries,
    RecordStatus,
    SeriesGrant,
)
from records.permissions import AUDITORS_GROUP
from records.services import disposition_approve, disposition_propose, record_close
from records.services.common import save_with_history
from sapa.documents.models import Organisation
from search import indexing
from search.backends import get_backend
from search.models import OutboxEntry
from search.services import search_for
from tests.factories.records import attach, form, make_record, series, user
from tests.records.conftest import DEMO_PDFS

pytestmark = pytest.mark.django_db

STAROSTALAR = (DEMO_PDFS / "715-06_starostalar_tizimi.pdf").read_bytes()
ANYQTAMA = (DEMO_PDFS / "715-01_anyqtama.pdf").read_bytes()
ANYQTAMA_WORDS = "әлеуметтік жәрдемақы"  # in the text of 715-01_anyqtama.pdf


def fresh(account):
    """The account as a new request loads it (roles and memberships are cached per object)."""
    return get_user_model().objects.get(pk=account.pk)


def found(account, text):
    """What ``account`` reads on the search page for ``text``: (url, title, snippet) of
    each record listed."""
    page = search_for(fresh(account) if account else None, text, limit=20, types=("record",))
    return [(e["url"], e["title"], e["snippet"]) for e in page.groups.get("record", [])]


def command_urls(text, username):
    out = io.StringIO()
    call_command("search", text, "--json", "--as", username, stdout=out)
    return [row["url"] for row in json.loads(out.getvalue())]


@pytest.fixture
def starostalar(world):
    record = make_record(world, title="ИТИ топтарының старосталары")
    attach(record, STAROSTALAR, "старосталар.pdf", user=world.users["keeper"])
    indexing.rebuild()
    return record


def make_confidential(world, record_series):
    record_series.confidentiality = Confidentiality.CONFIDENTIAL
    save_with_history(
        record_series, user=world.users["quality"], reason="студенттердің жеке деректері"
    )


# S1 ---------------------------------------------------------------------------------------


def test_series_made_confidential_leaves_granted_staffs_search(world, starostalar, client):
    granted, url = world.users["granted"], f"/records/{starostalar.pk}/"
    before = found(granted, "старосталар")
    assert [hit[0] for hit in before] == [url]
    assert "ИТИ топтарының старосталары" in before[0][1]
    assert "Қасымов" in before[0][2] or "<mark>" in before[0][2]  # a snippet of the file
    assert command_urls("старосталар", "granted") == [url]

    make_confidential(world, world.plans)
    # The change itself wrote the records' outbox rows; sync is all it takes.
    assert OutboxEntry.objects.filter(object_key=f"record:{starostalar.pk}").exists()
    indexing.sync()

    assert found(granted, "старосталар") == []
    assert found(granted, "Қасымов") == []
    assert command_urls("старосталар", "granted") == []
    client.force_login(granted)
    assert client.get(url).status_code == 404
    # Those who may still see it find it, marked confidential; index and database agree.
    auditor_hits = found(world.users["auditor"], "старосталар")
    assert [hit[0] for hit in auditor_hits] == [url]
    assert dict(get_backend().all_versions()) and indexing.verify().ok

    world.plans.confidentiality = Confidentiality.NORMAL
    save_with_history(world.plans, user=world.users["quality"], reason="қате белгіленген")
    indexing.sync()
    assert [hit[0] for hit in found(granted, "старосталар")] == [url]


def test_series_made_confidential_in_the_admin_leaves_search_after_sync(
    world, users, starostalar, client
):
    client.force_login(users["quality"])
    response = client.post(
        reverse("recordseries:edit", args=(world.plans.pk,)),
        {
            "organisation": world.organisation.pk,
            "form": world.plans.form_id,
            "title": world.plans.title,
            "responsible_unit": "",
            "responsible_position": "",
            "storage": "electronic",
            "storage_place": "",
            "retention_rule": "years",
            "retention_years": "5",
            "disposition": "destroy",
            "confidentiality": "confidential",
            "change_reason": "студенттердің аты-жөні бар",
        },
    )
    assert response.status_code == 302
    assert found(world.users["granted"], "старосталар")  # still there until the sync
    call_command("search_index", "sync", stdout=io.StringIO())
    assert found(world.users["granted"], "старосталар") == []


def test_a_series_change_queues_all_its_records_in_a_fixed_number_of_queries(world):
    small = series(world.organisation, form(world.organisation, "715-03", "Эдвайзерлер тізімі"))
    make_record(world, series=small)
    big = world.plans
    records = [make_record(world, title=f"Жоспар {n}") for n in range(40)]
    # Each series saved once before: Wagtail's reference index of a series is written on its
    # first save, one statement more (run alone, the test counted 9 against 10).
    for record_series in (small, big):
        save_with_history(record_series, user=world.users["quality"], reason="номенклатура")
    OutboxEntry.objects.all().delete()

    counts = []
    for record_series in (small, big):
        with CaptureQueriesContext(connection) as queries:
            make_confidential(world, record_series)
        counts.append(len(queries))
    assert counts[0] == counts[1]  # 1 record or 40: the same statements
    assert set(OutboxEntry.objects.values_list("object_key", flat=True)) == {
        f"record:{r.pk}" for r in QualityRecord.objects.filter(series__in=[small, big])
    }
    assert len(records) == 40

    # A save that changes nothing the entries hold queues nothing.
    OutboxEntry.objects.all().delete()
    big.storage_place = "ИТИ, 305 бөлме"
    save_with_history(big, user=world.users["quality"], reason="орны")
    assert OutboxEntry.objects.count() == 0


def test_the_outbox_rows_are_in_the_changes_transaction(world, starostalar):
    OutboxEntry.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_confidential(world, world.plans)
        assert OutboxEntry.objects.count() == 1
        raise RuntimeError("the change fails after the save")
    assert OutboxEntry.objects.count() == 0
    world.plans.refresh_from_db()
    assert not world.plans.is_confidential


def test_a_record_moved_to_a_confidential_series_leaves_granted_staffs_search(world, starostalar):
    granted = world.users["granted"]
    starostalar.series = world.certificates  # confidential (the grant no longer opens it)
    save_with_history(starostalar, user=world.users["quality"], reason="қате серия")
    indexing.sync()
    assert found(granted, "старосталар") == []
    assert [hit[0] for hit in found(world.users["keeper"], "старосталар")] == [
        f"/records/{starostalar.pk}/"
    ]


def test_grants_keepers_and_memberships_count_at_query_time(world, aru_library, starostalar):
    """They are not stored in index entries: each search reads them, so no re-indexing is
    needed and none is queued; the results change at once."""
    url = f"/records/{starostalar.pk}/"
    staff, keeper_other = world.users["staff"], world.users["keeper_other"]
    other_auditor = user("auditor_aru", AUDITORS_GROUP)
    aru = Organisation.for_page(aru_library)
    OrganisationMembership.objects.create(user=other_auditor, organisation=aru)
    OutboxEntry.objects.all().delete()
    for account in (staff, keeper_other, other_auditor):
        assert found(account, "старосталар") == []

    grant = SeriesGrant.objects.create(user=staff, series=world.plans)
    assignment = KeeperAssignment.objects.create(user=keeper_other, unit=world.institute)
    membership = OrganisationMembership.objects.create(
        user=other_auditor, organisation=world.organisation
    )
    for account in (staff, keeper_other, other_auditor):
        assert [hit[0] for hit in found(account, "старосталар")] == [url], account

    grant.delete()
    assignment.delete()
    membership.delete()
    for account in (staff, keeper_other, other_auditor):
        assert found(account, "старосталар") == [], account
    assert OutboxEntry.objects.count() == 0


def test_a_series_with_records_does_not_move_to_another_organisation(world, aru_library):
    """Its records would stay filed (and seen) in the first one: refused, with the reason on
    the organisation field of the nomenclature form."""
    minutes = RecordSeries(
        organisation=world.organisation, title="Кеңес хаттамалары", retention_rule="permanent"
    )
    save_with_history(minutes, user=None, reason="номенклатура")
    make_record(world, series=minutes, title="Кеңес хаттамасы")
    minutes.organisation = Organisation.for_page(aru_library)
    with pytest.raises(ValidationError) as refused:
        minutes.full_clean()
    assert list(refused.value.message_dict) == ["organisation"]
    minutes.organisation = world.organisation
    minutes.full_clean()  # staying where it is is fine


# S2 and destruction ------------------------------------------------------------------------


def closed_old(world, *, record_series, data, name, title):
    record = make_record(world, series=record_series, year="2015-2016", title=title)
    attach(record, data, name, user=world.users["keeper"])
    return record_close(
        record=record,
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2016, 6, 30),
    )


def dispose(world, records, django_capture_on_commit_callbacks):
    proposal = disposition_propose(
        organisation=world.organisation, records=records, user=world.users["quality"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        return disposition_approve(disposition=proposal, user=world.users["quality2"])


def test_certificate_of_a_confidential_record_is_confidential(
    world, client, django_capture_on_commit_callbacks
):
    plan = closed_old(
        world, record_series=world.plans, data=STAROSTALAR, name="тізім.pdf", title="Жоспар"
    )
    secret = closed_old(
        world,
        record_series=world.certificates,
        data=ANYQTAMA,
        name="анықтама.pdf",
        title="Студентке МЗТО-дан берілген анықтама",
    )
    done = dispose(world, [plan, secret], django_capture_on_commit_callbacks)
    certificate = done.certificate
    content = certificate.files.get(name__endswith=".json").file.open("rb").read().decode("utf-8")
    assert secret.identifier in content and "Студентке МЗТО-дан берілген анықтама" in content
    assert certificate.series.is_confidential and certificate.is_confidential

    # Anyone granted the certificate series still cannot open or download it.
    granted = world.users["granted"]
    SeriesGrant.objects.create(user=granted, series=certificate.series)
    client.force_login(granted)
    detail = client.get(reverse("records:detail", args=(certificate.pk,)))
    download = client.get(
        reverse("records:download", args=(certificate.files.get(name__endswith=".json").pk,))
    )
    assert detail.status_code == 404 and download.status_code == 404
    assert secret.identifier.encode() not in detail.content + download.content
    indexing.rebuild()
    assert found(granted, certificate.identifier) == []
    assert [h[0] for h in found(world.users["auditor"], certificate.identifier)] == [
        f"/records/{certificate.pk}/"
    ]

    # A disposition of normal records only files its certificate in the normal series.
    other = closed_old(
        world, record_series=world.plans, data=STAROSTALAR, name="тізім2.pdf", title="Жоспар 2"
    )
    normal = dispose(world, [other], django_capture_on_commit_callbacks).certificate
    assert not normal.series.is_confidential and normal.series != certificate.series


def test_destruction_removes_the_files_text_everywhere(world, django_capture_on_commit_callbacks):
    record = closed_old(
        world, record_series=world.plans, data=ANYQTAMA, name="анықтама.pdf", title="Анықтама"
    )
    stored = record.files.get()
    assert ANYQTAMA_WORDS.split()[1] in stored.text.lower()
    indexing.rebuild()
    auditor = world.users["auditor"]
    assert [h[0] for h in found(auditor, "жәрдемақы")] == [f"/records/{record.pk}/"]

    done = dispose(world, [record], django_capture_on_commit_callbacks)
    indexing.sync()

    entry = RecordFile.objects.get(pk=stored.pk)
    assert entry.text == "" and entry.removed_at and not entry.file.storage.exists(entry.file.name)
    for row in RecordFile.history.filter(id=stored.pk).values():
        assert not any("жәрдемақы" in str(value) for value in row.values()), row
    assert found(auditor, "жәрдемақы") == []
    # The destroyed record has no entry; its certificate, which names it, is what is found.
    urls = [h[0] for h in found(auditor, record.identifier)]
    assert urls == [f"/records/{done.certificate.pk}/"]
    assert f"record:{record.pk}" not in get_backend().all_versions()
    assert indexing.verify().ok
    # What stays: identifier, series, dates, the file's checksum, and who decided.
    record.refresh_from_db()
    assert record.status == RecordStatus.DISPOSED and record.disposed_at
    assert (record.series, record.closed_on) == (world.plans, datetime.date(2016, 6, 30))
    assert entry.sha256 == stored.sha256
    assert done.decided_by == world.users["quality2"]
    assert record.identifier in (
        done.certificate.files.get(name__endswith=".json").file.open("rb").read().decode()
    )


def test_ocr_finishing_after_destruction_writes_no_text(world, django_capture_on_commit_callbacks):
    from records.models import ExtractionStatus
    from records.tasks import _finish

    record = closed_old(
        world, record_series=world.plans, data=ANYQTAMA, name="скан.pdf", title="Скан"
    )
    stored = record.files.get()
    RecordFile.objects.filter(pk=stored.pk).update(
        text="", extraction_status=ExtractionStatus.OCR_QUEUED
    )
    dispose(world, [record], django_capture_on_commit_callbacks)
    _finish(RecordFile.objects.get(pk=stored.pk), "OCR мәтіні: жәрдемақы", "done", "")
    assert RecordFile.objects.get(pk=stored.pk).text == ""


def test_upgrade_repairs_what_earlier_dispositions_left(world, django_capture_on_commit_callbacks):
    """Dispositions carried out before this release: the migration blanks the text of their
    removed files and moves a certificate naming a confidential record out of the normal
    certificate series; the records touched are queued for the index."""
    import importlib

    from django.apps import apps

    from records.services.retention import _certificate_series

    migration = importlib.import_module(
        "records.migrations.0007_disposed_content_and_confidential_certificates"
    )
    secret = closed_old(
        world,
        record_series=world.certificates,
        data=ANYQTAMA,
        name="анықтама.pdf",
        title="Студентке МЗТО-дан берілген анықтама",
    )
    certificate = dispose(world, [secret], django_capture_on_commit_callbacks).certificate
    # As an earlier release left them: the text kept, the certificate in the normal series.
    normal = _certificate_series(world.organisation, confidential=False)
    QualityRecord.objects.filter(pk=certificate.pk).update(series=normal)
    RecordFile.objects.filter(record=secret).update(text="Студенттің әлеуметтік жәрдемақы")
    SeriesGrant.objects.create(user=world.users["granted"], series=normal)
    indexing.rebuild()
    assert [h[0] for h in found(world.users["granted"], certificate.identifier)]
    OutboxEntry.objects.all().delete()

    migration.repair(apps, None)

    certificate.refresh_from_db()
    assert certificate.series.is_confidential
    assert certificate.history.latest().history_change_reason == migration.REASON
    assert RecordFile.objects.get(record=secret).text == ""
    assert set(OutboxEntry.objects.values_list("object_key", flat=True)) == {
        f"record:{secret.pk}",
        f"record:{certificate.pk}",
    }
    indexing.sync()
    assert found(world.users["granted"], certificate.identifier) == []
    migration.repair(apps, None)  # a second run finds nothing to do
    assert OutboxEntry.objects.count() == 0


def test_transfer_to_the_archive_leaves_the_text_and_keeps_a_findable_entry(
    world, django_capture_on_commit_callbacks
):
    """The archive holds the file now: Sapa keeps no copy of its text, but the record's
    entry (identifier and title) still answers where it went."""
    world.plans.disposition = "archive"
    save_with_history(world.plans, user=world.users["quality"], reason="мұрағатқа")
    record = closed_old(
        world, record_series=world.plans, data=ANYQTAMA, name="анықтама.pdf", title="Анықтама"
    )
    indexing.rebuild()
    dispose(world, [record], django_capture_on_commit_callbacks)
    indexing.sync()
    assert RecordFile.objects.get(record=record).text == ""
    auditor = world.users["auditor"]
    assert found(auditor, "жәрдемақы") == []
    assert f"/records/{record.pk}/" in [h[0] for h in found(auditor, record.identifier)]
