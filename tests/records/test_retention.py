"""Retention, holds and two-person disposition."""

import datetime

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from records.models import Disposition, DispositionStatus, QualityRecord, RecordStatus
from records.services import (
    disposition_approve,
    disposition_propose,
    disposition_reject,
    hold_place,
    hold_release,
    record_close,
    records_eligible_for_disposition,
)
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_record(world, pdf_bytes):
    record = make_record(world, year="2015-2016")
    attach(record, pdf_bytes, "хаттама.pdf", user=world.users["keeper"])
    return record_close(
        record=record,
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2016, 6, 30),
    )


def test_retention_end_follows_the_series_rule(world, old_record):
    assert old_record.retention_end() == datetime.date(2021, 6, 30)
    open_record = make_record(world)
    assert open_record.retention_end() is None
    world.plans.retention_rule = "permanent"
    world.plans.retention_years = None
    world.plans.save()
    old_record.refresh_from_db()
    assert old_record.retention_end() is None
    assert records_eligible_for_disposition(organisation=world.organisation) == []


def test_eligible_list(world, old_record):
    recent = make_record(world)
    record_close(
        record=recent, user=world.users["keeper"], reason="x", closed_on=datetime.date(2026, 6, 30)
    )
    assert [r.pk for r in records_eligible_for_disposition(organisation=world.organisation)] == [
        old_record.pk
    ]


def test_two_people_dispose_and_the_certificate_is_a_record(
    world, old_record, django_capture_on_commit_callbacks
):
    quality2 = world.users["quality2"]
    # (a copy of the account: the world's objects are shared by the tests of a session)
    quality = type(quality2).objects.get(pk=world.users["quality"].pk)
    quality.first_name, quality.last_name = "Гүлнәр", "Аршабекова"
    quality.save()
    stored = old_record.files.get()
    path = stored.file.path
    proposal = disposition_propose(
        organisation=world.organisation, records=[old_record], user=quality, note="2024 тексеру"
    )
    with pytest.raises(ValidationError):
        disposition_approve(disposition=proposal, user=quality)
    assert Disposition.objects.get(pk=proposal.pk).status == DispositionStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        done = disposition_approve(disposition=proposal, user=quality2)
    assert done.status == DispositionStatus.APPROVED and done.decided_by == quality2
    record = QualityRecord.objects.get(pk=old_record.pk)
    assert record.status == RecordStatus.DISPOSED and record.disposed_at
    entry = record.files.get()
    assert entry.removed_at and entry.sha256 == stored.sha256  # metadata stays
    import os

    assert not os.path.exists(path)  # bytes gone
    assert record.history.count() >= 3  # history survives
    latest = record.history.latest()
    assert latest.history_user == quality2 and str(proposal.pk) in latest.history_change_reason

    certificate = done.certificate
    assert certificate.series.retention_rule == "permanent"
    data, act = certificate.files.order_by("pk")
    content = data.file.open("rb").read().decode("utf-8")
    # Beside the data, the act people read and print (it was the JSON alone): what was
    # disposed of, the files' hashes, who proposed and who approved, by name.
    assert act.name == f"disposition-{proposal.pk}.pdf" and act.content_type == "application/pdf"
    with pdfplumber.open(act.file.path) as pdf:
        printed = " ".join((page.extract_text() or "") for page in pdf.pages)
        (_header, *rows) = pdf.pages[0].extract_table()
    # a narrow cell breaks an identifier or a hash over lines
    cells = ["".join((cell or "").split()) for cell in rows[0]]
    assert cells[1] == old_record.identifier and stored.sha256 in cells[-1]
    assert "Гүлнәр Аршабекова" in printed and "quality2" in printed
    assert certificate.title in printed
    assert (
        old_record.identifier in content
        and "quality2" in content
        and '"proposed_by": "quality"' in content
    )
    assert certificate.status == RecordStatus.CLOSED
    # Its description names the two people as the records' pages do, by name (a tester read
    # "ұсынған: quality, бекіткен: quality2", their logins); quality2 has no name: its login.
    assert "Гүлнәр Аршабекова" in certificate.description
    assert "quality," not in certificate.description and "quality2" in certificate.description


def test_the_database_refuses_one_person_deciding(world, old_record):
    proposal = disposition_propose(
        organisation=world.organisation, records=[old_record], user=world.users["quality"]
    )
    proposal.decided_by = world.users["quality"]
    with transaction.atomic(), pytest.raises(IntegrityError):
        proposal.save()


def test_only_the_quality_office_disposes(world, old_record):
    for role in ("keeper", "auditor", "staff"):
        with pytest.raises(PermissionDenied):
            disposition_propose(
                organisation=world.organisation, records=[old_record], user=world.users[role]
            )


def test_rejected_disposition_keeps_the_record(world, old_record):
    proposal = disposition_propose(
        organisation=world.organisation, records=[old_record], user=world.users["quality"]
    )
    disposition_reject(disposition=proposal, user=world.users["quality2"], note="аудит күтілуде")
    assert QualityRecord.objects.get(pk=old_record.pk).status == RecordStatus.CLOSED
    assert old_record.files.get().removed_at is None


def proposed_then_held(world, record):
    """(the disposal proposed for ``record`` by the quality office, the audit hold placed on
    it after)."""
    quality = world.users["quality"]
    proposal = disposition_propose(organisation=world.organisation, records=[record], user=quality)
    hold = hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Сыртқы аудит 2026",
        records=[record],
        user=quality,
    )
    return proposal, hold


def test_hold_blocks_disposition_everywhere(world, old_record):
    quality, quality2 = world.users["quality"], world.users["quality2"]
    proposal, hold = proposed_then_held(world, old_record)
    assert old_record.is_on_hold
    assert records_eligible_for_disposition(organisation=world.organisation) == []
    with pytest.raises(ValidationError, match=old_record.identifier):
        disposition_approve(disposition=proposal, user=quality2)
    with pytest.raises(ValidationError):
        disposition_propose(organisation=world.organisation, records=[old_record], user=quality)
    # Nobody deletes it either: not the model, not a queryset, not the database.
    with pytest.raises(ValidationError):
        old_record.delete()
    with pytest.raises(ValidationError):
        QualityRecord.objects.filter(pk=old_record.pk).delete()
    with pytest.raises(ProtectedError):
        from django.db.models.deletion import Collector

        collector = Collector(using="default")
        collector.collect([old_record])
    assert QualityRecord.objects.get(pk=old_record.pk).status == RecordStatus.CLOSED

    hold_release(hold=hold, user=quality, reason="Аудит аяқталды")
    assert not QualityRecord.objects.get(pk=old_record.pk).is_on_hold


def test_a_proposal_with_a_held_record_is_not_offered_for_approval(world, old_record, client):
    """A tester was offered "Жоюды бекіту" for a proposal whose record was on hold, then
    refused: the page now says why it waits, and offers only the rejection."""
    quality, quality2 = world.users["quality"], world.users["quality2"]
    _proposal, hold = proposed_then_held(world, old_record)
    client.force_login(quality2)
    url = reverse("records:retention")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    decide = page[page.index('class="decide"') :]
    decide = decide[: decide.index("</form>")]
    assert 'value="approve"' not in decide and 'value="reject"' in decide
    assert "Оның жазбалары ұсталымда" in decide
    assert "ұсталымда</strong>" in page
    hold_release(hold=hold, user=quality, reason="Аудит аяқталды")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'value="approve"' in page and "Оның жазбалары ұсталымда" not in page


def test_hold_on_a_series_covers_its_records(world, old_record):
    hold_place(
        organisation=world.organisation,
        reason="dispute",
        description="Шағым",
        series=[world.plans],
        user=world.users["quality"],
    )
    assert QualityRecord.objects.get(pk=old_record.pk).is_on_hold
    assert records_eligible_for_disposition(organisation=world.organisation) == []


def test_hold_suspends_the_retention_clock(world, old_record):
    from django.utils import timezone

    hold = hold_place(
        organisation=world.organisation,
        reason="request",
        description="Сұрау",
        records=[old_record],
        user=world.users["quality"],
    )
    hold.placed_at = timezone.now() - datetime.timedelta(days=30)
    hold.save()
    hold_release(hold=hold, user=world.users["quality"], reason="жауап берілді")
    record = QualityRecord.objects.get(pk=old_record.pk)
    assert record.retention_end() == datetime.date(2021, 6, 30) + datetime.timedelta(days=30)


def test_a_disposed_records_words_leave_the_search_index_files(world, old_record, settings):
    """Procedure 404's disposition is real in search too: after it, the words of the record's
    file are in no file of the search index (tantivy keeps a replaced entry's copy until a
    merge unless it purges it)."""
    from search import indexing
    from search.analysis import analyze_document

    def index_bytes() -> bytes:
        root = settings.SAPA_SEARCH_TANTIVY_PATH
        return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())

    indexing.sync()
    others = set()
    for key in indexing.all_keys():
        if key != f"record:{old_record.pk}":
            for entry in indexing.entries_of(key):
                others |= set(entry.keys.split())
    own = set(analyze_document(old_record.files.get().text)) - others
    own -= set(analyze_document(f"{old_record.identifier} {old_record.title}"))
    own -= set(analyze_document(old_record.description))
    before = index_bytes()
    held = {word for word in own if len(word) >= 5 and word.encode() in before}
    assert "сәтбаев" in held and len(held) >= 2, held  # the file's own words, in the index
    proposal = disposition_propose(
        organisation=world.organisation, records=[old_record], user=world.users["quality"]
    )
    disposition_approve(disposition=proposal, user=world.users["quality2"])
    indexing.sync()
    after = index_bytes()
    assert [word for word in held if word.encode() in after] == []
