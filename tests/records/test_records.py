"""Identification, frozen links, files that are never overwritten, history with who and why."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from records.models import (
    DispositionRule,
    ExtractionStatus,
    QualityRecord,
    RecordFile,
    RecordSeries,
    RecordsPolicy,
    RetentionRule,
)
from records.services import file_add, record_close, record_update
from records.services.common import save_with_history
from sapa.documents.services import edition_start_new
from tests.documents.helpers import fresh, save_and_publish, set_clause_text
from tests.factories.documents import ProcedurePageFactory
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db


def test_identifier_follows_the_pattern_and_counts_per_form_period_unit(world):
    first = make_record(world)
    second = make_record(world, title="Екінші")
    other_year = make_record(world, year="2024-2025")
    other_unit = make_record(world, unit=world.chair, user=world.users["keeper_other"])
    assert first.identifier == "715-02/2025-2026/ИТИ/0001"
    assert second.identifier == "715-02/2025-2026/ИТИ/0002"
    assert other_year.identifier == "715-02/2024-2025/ИТИ/0001"
    assert other_unit.identifier == "715-02/2025-2026/ГК/0001"
    assert (first.period_start, first.period_end) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )


def test_a_series_kept_without_a_form_numbers_its_records_by_its_own_number(world):
    """The АӨУ demo's mentors' plans, a series with no form, were numbered "АКТ/…", as the
    disposition certificates are."""
    plans = RecordSeries(
        organisation=world.organisation,
        title="Менторлардың жұмыс жоспарлары",
        responsible_unit=world.institute,
        retention_rule=RetentionRule.YEARS,
        retention_years=5,
        disposition=DispositionRule.DESTROY,
    )
    save_with_history(plans, user=world.users["quality"], reason="номенклатура")
    record = make_record(world, series=plans)
    assert record.identifier == f"С{plans.pk}/2025-2026/ИТИ/0001"


def test_identifier_pattern_is_configurable(world):
    RecordsPolicy.objects.create(
        organisation=world.organisation, identifier_pattern="{year}-{form}-{seq:04d}"
    )
    assert make_record(world).identifier == "2025-715-02-0001"


def test_bad_period_is_refused_in_kazakh(world):
    from django.utils import translation

    with translation.override("kk"), pytest.raises(ValidationError) as caught:
        make_record(world, year="2025/26")
    assert "2025-2026" in caught.value.messages[0]
    assert QualityRecord.objects.count() == 0


def test_record_keeps_the_form_revision_and_edition_of_its_date(world, users, kaznrtu_library):
    procedure = ProcedurePageFactory(
        parent=kaznrtu_library, number="715", code="ҚазҰТЗУ 715 ҚП", slug="p715"
    )
    save_and_publish(procedure, users["quality"])
    form = world.plans.form
    form.owning_document = procedure
    form.save()
    old_revision = form.revisions.order_by("-created_at").first()
    record = make_record(world, year="2018-2019")
    assert record.form_revision_id == old_revision.pk
    assert record.edition.key == "1"
    assert record.document_id == procedure.pk

    # The form gets a new revision and the procedure a new edition: the record does not move.
    form.title = "Эдвайзердің жұмыс жоспары (жаңа үлгі)"
    form.save()
    form.save_revision()
    draft = edition_start_new(document=fresh(procedure), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    set_clause_text(draft, "7.2", "Жаңа мәтін")
    save_and_publish(draft, users["quality"])
    record.refresh_from_db()
    assert record.form_revision_id == old_revision.pk
    assert record.edition.key == "1"
    newer = make_record(world, year="2021-2022")
    assert newer.edition.key == "2"
    today = make_record(world, record_date=timezone.localdate())
    assert today.form_revision_id == form.revisions.order_by("-created_at").first().pk
    assert today.form_revision_id != old_revision.pk


def test_files_are_versions_never_overwritten(world, pdf_bytes, settings):
    record = make_record(world)
    keeper = world.users["keeper"]
    first = attach(record, pdf_bytes, "жоспар.pdf", user=keeper)
    second = attach(record, pdf_bytes + b"\n%second", "жоспар.pdf", user=keeper)
    assert (first.name, first.version, second.version) == ("жоспар.pdf", 1, 2)
    assert first.file.name != second.file.name
    assert first.file.open("rb").read() == pdf_bytes
    assert first.sha256 != second.sha256 and len(first.sha256) == 64
    assert first.size == len(pdf_bytes)
    assert first.content_type == "application/pdf"
    assert first.page_count == 1
    assert first.extraction_status == ExtractionStatus.DONE
    assert "Эдвайзердің жұмыс жоспары" in first.text
    with pytest.raises(ValidationError):
        first.delete()
    # Private: no URL serves record files, and they are not under MEDIA_ROOT.
    with pytest.raises(ValueError):
        first.file.url  # noqa: B018
    assert not Path(first.file.path).is_relative_to(settings.MEDIA_ROOT)


def test_corrupt_pdf_is_refused_and_the_record_stays(world, pdf_bytes, settings):
    # A record file is never deleted: a cut-short upload is refused, not kept for ever
    # (tests/badinput/ holds the whole corpus of broken files).
    record = make_record(world)
    before = set(_stored_files(settings))
    with pytest.raises(ValidationError, match="PDF"):
        attach(record, pdf_bytes[:2000], "бүлінген.pdf", user=world.users["keeper"])
    assert not record.files.exists() and set(_stored_files(settings)) == before
    assert QualityRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\жоспар.pdf", "жоспар.pdf"),
        ("жос\x00пар\x1b[31m.pdf", "жоспар31m.pdf"),
        ("а" * 500 + ".pdf", "а" * 120 + ".pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("scan.exe", "scan.pdf"),
    ],
)
def test_hostile_file_names_are_made_safe(world, pdf_bytes, uploaded, stored):
    entry = attach(make_record(world), pdf_bytes, uploaded, user=world.users["keeper"])
    assert entry.name == stored
    assert entry.file.name.endswith("/" + stored)
    assert "/../" not in entry.file.name and entry.file.name.startswith("records/")


def test_refused_upload_writes_nothing(world, settings):
    record = make_record(world)
    before = set(_stored_files(settings))
    with pytest.raises(ValidationError, match=r"\.pdf, \.png, \.jpg"):
        attach(record, b"MZ\x90\x00" + b"\x00" * 200, "virus.pdf", user=world.users["keeper"])
    with (
        override_settings(SAPA_RECORD_MAX_UPLOAD_BYTES=100),
        pytest.raises(ValidationError, match=r"\b100\b"),
    ):
        attach(record, b"%PDF-1.4\n" + b"x" * 500, "big.pdf", user=world.users["keeper"])
    assert RecordFile.objects.count() == 0
    assert set(_stored_files(settings)) == before


def test_failure_after_writing_removes_the_file(world, pdf_bytes, settings, monkeypatch):
    record = make_record(world)
    before = set(_stored_files(settings))

    def broken_save(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("records.services.files.save_with_history", broken_save)
    with pytest.raises(RuntimeError):
        attach(record, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    assert RecordFile.objects.count() == 0
    assert set(_stored_files(settings)) == before


def test_a_failure_after_the_row_is_written_leaves_neither_row_nor_file(
    world, pdf_bytes, settings, monkeypatch
):
    """Adding a file is one transaction: a failure once its row and history are written
    undoes them, and its bytes are removed (the decorator once slipped off ``file_add``, and
    only PostgreSQL's select_for_update said so)."""
    from records.services import files

    record = make_record(world)
    before = set(_stored_files(settings))
    written = files.save_with_history

    def saved_then_broken(*args, **kwargs):
        written(*args, **kwargs)
        raise RuntimeError("the connection dropped after the insert")

    monkeypatch.setattr("records.services.files.save_with_history", saved_then_broken)
    with pytest.raises(RuntimeError):
        attach(record, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    assert RecordFile.objects.count() == 0
    assert RecordFile.history.count() == 0
    assert set(_stored_files(settings)) == before


def _stored_files(settings):
    root = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_history_keeps_user_reason_and_changed_fields(world):
    record = make_record(world)
    keeper, quality = world.users["keeper"], world.users["quality"]
    with pytest.raises(ValidationError):
        record_update(record=record, user=keeper, reason="", title="Жаңа атауы")
    record_update(record=record, user=keeper, reason="Қате түзетілді", title="Түзетілген атауы")
    record_close(
        record=record,
        user=quality,
        reason="Оқу жылы аяқталды",
        closed_on=datetime.date(2026, 6, 30),
    )

    newest, middle, oldest = record.history.order_by("-history_date", "-history_id")[:3]
    assert (newest.history_user, newest.history_change_reason) == (quality, "Оқу жылы аяқталды")
    assert {c.field for c in newest.diff_against(middle).changes} == {"status", "closed_on"}
    assert (middle.history_user, middle.history_change_reason) == (keeper, "Қате түзетілді")
    change = middle.diff_against(oldest).changes[0]
    assert (change.field, change.old, change.new) == (
        "title",
        "Эдвайзер жоспары",
        "Түзетілген атауы",
    )
    assert oldest.history_change_reason == "толтырылды"


def test_a_record_date_later_than_today_is_refused_and_nothing_changes(world):
    record = make_record(world)
    keeper = world.users["keeper"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record_update(record=record, user=keeper, reason="Күні", record_date=tomorrow)
    assert "record_date" in refused.value.message_dict
    record.refresh_from_db()
    assert record.record_date != tomorrow and record.history.count() == 1
    record_update(record=record, user=keeper, reason="Күні", record_date=timezone.localdate())


def test_identity_fields_cannot_be_changed(world):
    record = make_record(world)
    with pytest.raises(ValidationError):
        record_update(record=record, user=world.users["quality"], reason="x", identifier="X")
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError):
        QualityRecord.objects.all().delete()


def test_disposed_record_takes_no_files(world, pdf_bytes):
    record = make_record(world)
    record.status = "disposed"
    save_with_history(record, user=world.users["quality"], reason="test")
    with pytest.raises(ValidationError):
        file_add(record=record, upload=_upload(pdf_bytes), user=world.users["quality"], reason="x")


def _upload(data):
    from django.core.files.base import ContentFile

    return ContentFile(data, name="a.pdf")
