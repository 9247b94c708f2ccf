"""The world of the access table: two universities (ҚазҰТЗУ and АӨУ) on one portal, each
with its library, a published document (with a superseded edition and a change), forms,
units, a normal and a confidential records series with a record and its file, a hold and a
proposed disposition; and one account for every role.

It is built once per test module inside a transaction that is rolled back at the end; each
test runs in a savepoint of it (pytest-django's ``db``), so what a test writes goes away."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission

from home import demo
from records.models import (
    Disposition,
    KeeperAssignment,
    OrganisationMembership,
    RecordsPolicy,
    SeriesGrant,
)
from records.permissions import AUDITORS_GROUP, KEEPERS_GROUP, QUALITY_OFFICE_GROUP
from records.services import hold_place
from sapa.documents.models import JobInstructionPage, Organisation, QmsForm, Unit
from sapa.documents.services import edition_start_new
from search.models import SynonymGroup
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text
from tests.factories.documents import ProcedurePageFactory, register_row
from tests.factories.records import attach, series

PDF = Path(__file__).resolve().parents[2] / "home" / "demo_data" / "records" / "715-01_anyqtama.pdf"
FILE_WORD = "жәрдемақы"  # in the text of every record's file, in no title nor document
DRAFT_TEXT = "Жарияланбаған жоба мәтіні Сұңқар."

ROLES = (
    "anonymous",
    "staff",
    "granted",
    "keeper",
    "keeper_other",
    "auditor",
    "auditor_other",
    "quality",
    "quality_other",
    "superuser",
)

# A word of each record's title that no other title, document or form holds.
TITLE_WORDS = {
    "k_plain": "Қарлығаш",
    "k_secret": "Бозторғай",
    "a_plain": "Шағала",
    "a_secret": "Бүркіт",
}


class JobInstructionPageFactory(ProcedurePageFactory):
    class Meta:
        model = JobInstructionPage

    code = ""
    title = "Ментор"


@dataclass
class Org:
    organisation: Organisation
    library: object
    home: object
    unit: Unit
    form: QmsForm
    plain_series: object
    secret_series: object
    document: object
    policy: RecordsPolicy
    membership: OrganisationMembership
    keeper_assignment: KeeperAssignment
    hold: object
    disposition: Disposition
    records: dict = field(default_factory=dict)


@dataclass
class World:
    k: Org
    a: Org
    users: dict
    other_unit: Unit
    grant: SeriesGrant
    a_grant: SeriesGrant
    draft_document: object
    synonyms: SynonymGroup
    wagtail_document: Document
    portal: object

    sessions: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)

    def sign_in(self, client, role):
        """Sign ``client`` in as ``role`` with the session made once for the module."""
        from django.conf import settings

        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]


def _account(username, *groups, superuser=False):
    account = get_user_model().objects.create_user(
        username=username,
        password=username,
        is_superuser=superuser,
        is_staff=superuser,
    )
    for name in groups:
        account.groups.add(Group.objects.get_or_create(name=name)[0])
    return account


def _quality_office_permissions():
    """What the quality office holds in the admin (as the demo gives it), without any page
    permission: those come per organisation, from a group on its own library."""
    quality = Group.objects.get_or_create(name=QUALITY_OFFICE_GROUP)[0]
    for name in (KEEPERS_GROUP, AUDITORS_GROUP):
        Group.objects.get_or_create(name=name)
    quality.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(
            content_type__app_label="documents",
            codename__in=(
                "add_qmsform",
                "change_qmsform",
                "add_unit",
                "change_unit",
                "change_organisation",
                "add_unitmember",
                "change_unitmember",
            ),
        ),
        *Permission.objects.filter(
            content_type__app_label="records",
            codename__in=[
                f"{action}_{model}"
                for model in ("recordseries", "keeperassignment", "seriesgrant", "recordspolicy")
                for action in ("add", "change", "view")
            ],
        ),
        *Permission.objects.filter(
            content_type__app_label="wagtaildocs",
            codename__in=("add_document", "change_document", "choose_document"),
        ),
    )


def _library_group(name, library):
    group = Group.objects.create(name=name)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=library,
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    return group


def _form(organisation, prefix, number, title):
    item = QmsForm.objects.create(
        organisation=organisation, code=f"{prefix} {number} Ү", number=number, kind="Ү", title=title
    )
    item.save_revision()
    item.title = f"{title} (2)"
    item.save_revision()
    return item


def _record(org_series, unit, title, keeper, pdf):
    from records.services import record_create

    record = record_create(
        series=org_series,
        unit=unit,
        title=title,
        period_kind="academic_year",
        academic_year="2025-2026",
        record_date=datetime.date(2025, 10, 1),
        user=keeper,
        reason="толтырылды",
    )
    attach(record, pdf, "анықтама.pdf", user=keeper)
    return record


def _certificate(org: Org, users):
    """ҚазҰТЗУ disposes of two old ИТИ records, one of them confidential: the certificate
    names both, so it is as confidential as the confidential one."""
    from records.models import QualityRecord, RecordStatus
    from records.services import disposition_approve, disposition_propose

    keeper = users["keeper"]
    other_pdf = (PDF.parent / "715-02_edvaizer_zhospary.pdf").read_bytes()
    old = [
        _record(org.plain_series, org.unit, "Ескі жоспар Жапалақ", keeper, other_pdf),
        _record(org.secret_series, org.unit, "Ескі анықтама Сауысқан", keeper, other_pdf),
    ]
    QualityRecord.objects.filter(pk__in=[r.pk for r in old]).update(
        status=RecordStatus.CLOSED, closed_on=datetime.date(2015, 1, 1)
    )
    proposal = disposition_propose(
        organisation=org.organisation,
        records=list(QualityRecord.objects.filter(pk__in=[r.pk for r in old])),
        user=get_user_model().objects.get(username="acc_proposer_k"),
    )
    return disposition_approve(disposition=proposal, user=users["quality"]).certificate


def _published_procedure(library, user):
    """Edition 1 with change 1, superseded by edition 2 in force: every document route has
    something to show."""
    page = ProcedurePageFactory(parent=library)
    save_and_publish(page, user)
    draft = draft_of(page)
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    draft.register_entries = [*draft.register_entries.all(), register_row("1")]
    save_and_publish(draft, user)
    draft = edition_start_new(document=fresh(page), user=user).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    set_clause_text(draft, "7.2", "Екінші басылымның мәтіні.")
    save_and_publish(draft, user)
    return fresh(page)


def _build(superuser_name="acc_superuser") -> World:
    portal = demo.ensure_portal()
    k_library = demo.ensure_organisation(portal, demo.ORGANISATIONS[0])
    a_library = demo.ensure_organisation(portal, demo.ORGANISATIONS[1])
    _quality_office_permissions()
    users = {
        "staff": _account("acc_staff"),
        "granted": _account("acc_granted"),
        "keeper": _account("acc_keeper", KEEPERS_GROUP),
        "keeper_other": _account("acc_keeper_other", KEEPERS_GROUP),
        "auditor": _account("acc_auditor", AUDITORS_GROUP),
        "auditor_other": _account("acc_auditor_other", AUDITORS_GROUP),
        "quality": _account("acc_quality", QUALITY_OFFICE_GROUP),
        "quality_other": _account("acc_quality_other", QUALITY_OFFICE_GROUP),
        "superuser": _account(superuser_name, superuser=True),
    }
    users["quality"].groups.add(_library_group("ҚазҰТЗУ құжаттары", k_library))
    users["quality_other"].groups.add(_library_group("АӨУ құжаттары", a_library))
    pdf = PDF.read_bytes()
    root = users["superuser"]
    orgs = {}
    for key, library, unit_short, prefix, office, auditor, keeper in (
        ("k", k_library, "ИТИ", "ҚазҰТЗУ", "quality", "auditor", "keeper"),
        ("a", a_library, "ӘМЖСД", "АӨУ", "quality_other", "auditor_other", None),
    ):
        organisation = Organisation.for_page(library)
        unit = Unit.objects.get(organisation=organisation, short_name=unit_short)
        plain_form = _form(organisation, prefix, "715-02", "Эдвайзердің жұмыс жоспары")
        secret_form = _form(organisation, prefix, "715-01", "МЗТО-дан анықтама")
        plain = series(organisation, plain_form)
        secret = series(organisation, secret_form, confidential=True)
        if key == "k":
            document = _published_procedure(library, root)
        else:
            document = JobInstructionPageFactory(parent=library)
            save_and_publish(document, root)
            document = fresh(document)
        for account in (users[office], users[auditor]):
            OrganisationMembership.objects.create(user=account, organisation=organisation)
        keeper_account = users[keeper] if keeper else _account(f"acc_keeper_{key}", KEEPERS_GROUP)
        assignment = KeeperAssignment.objects.create(user=keeper_account, unit=unit)
        records = {
            "plain": _record(
                plain, unit, f"{TITLE_WORDS[key + '_plain']} жоспары", keeper_account, pdf
            ),
            "secret": _record(
                secret, unit, f"{TITLE_WORDS[key + '_secret']} анықтамасы", keeper_account, pdf
            ),
        }
        hold = hold_place(
            organisation=organisation,
            reason="audit",
            description="тексеру",
            records=[records["plain"]],
            user=root,
        )
        proposer = _account(f"acc_proposer_{key}", QUALITY_OFFICE_GROUP)
        OrganisationMembership.objects.create(user=proposer, organisation=organisation)
        disposition = Disposition.objects.create(organisation=organisation, proposed_by=proposer)
        orgs[key] = Org(
            organisation=organisation,
            library=library,
            home=library.get_parent().specific,
            unit=unit,
            form=plain_form,
            plain_series=plain,
            secret_series=secret,
            document=document,
            policy=RecordsPolicy.objects.get_or_create(organisation=organisation)[0],
            membership=OrganisationMembership.objects.get(
                user=users[office], organisation=organisation
            ),
            keeper_assignment=assignment,
            hold=hold,
            disposition=disposition,
            records=records,
        )
    k = orgs["k"]
    k.records["cert"] = _certificate(k, users)
    other_unit = Unit.objects.create(
        organisation=k.organisation, name="Геология кафедрасы", short_name="ГК"
    )
    KeeperAssignment.objects.create(user=users["keeper_other"], unit=other_unit)
    grant = SeriesGrant.objects.create(user=users["granted"], series=k.plain_series)
    SeriesGrant.objects.create(user=users["granted"], series=k.secret_series)
    # S2: granted the certificates' series, a person still never opens a certificate that
    # names a confidential record.
    SeriesGrant.objects.create(user=users["granted"], series=k.records["cert"].series)
    # АӨУ's own grant (to an account of no role here), for the grants admin of both sides.
    a_grant = SeriesGrant.objects.create(
        user=_account("acc_granted_a"), series=orgs["a"].plain_series
    )
    draft_document = ProcedurePageFactory(parent=k.library, title="Жоба: жарияланбаған")
    draft_document.body = [
        {
            "type": "section",
            "value": {
                "number": "1",
                "title": "Жоба",
                "content": [
                    {
                        "type": "clause",
                        "value": {"number": "1.1", "title": "", "text": DRAFT_TEXT, "items": []},
                    }
                ],
            },
        }
    ]
    draft_document.save_revision(user=root)
    synonyms = SynonymGroup.objects.create(terms="ментор\nэдвайзер", note="test")
    wagtail_document = Document.objects.create(
        title="715-02 Ү үлгісі", file=ContentFile(b"template", name="715-02.docx")
    )
    return World(
        k=k,
        a=orgs["a"],
        users=users,
        other_unit=other_unit,
        grant=grant,
        a_grant=a_grant,
        draft_document=draft_document,
        synonyms=synonyms,
        wagtail_document=wagtail_document,
        portal=portal,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, once per module, in its own folders and search index."""
    from search import indexing
    from search.backends import reset_backends

    base = tmp_path_factory.mktemp("security")
    from django.conf import settings

    overrides = override_settings(
        MEDIA_ROOT=base / "media",
        STORAGES={
            **settings.STORAGES,
            "records": {
                "BACKEND": "records.storage.PrivateFileStorage",
                "OPTIONS": {"location": str(base / "records")},
            },
        },
        SAPA_SEARCH_TANTIVY_PATH=base / "search-tantivy",
        SAPA_SEARCH_ENGINE_ALIAS=f"sapa-test-{base.name}",
    )
    overrides.enable()
    reset_backends()
    try:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                built = _build()
                indexing.rebuild()
                for role, account in built.users.items():
                    signed = Client()
                    signed.force_login(account)
                    built.sessions[role] = signed.cookies[settings.SESSION_COOKIE_NAME].value
                # The world's foreign keys are checked now, once. Left pending (PostgreSQL
                # defers them to the commit), they would be checked again at every test's
                # end (pytest-django checks constraints before rolling a test back), and
                # the rollback of the test's savepoint would leave them pending again.
                connection.check_constraints()
                yield built
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        if settings.SAPA_SEARCH_BACKEND == "engine":
            from search.backends import get_backend

            client = get_backend().client
            for index in client.indices.get(index=f"{settings.SAPA_SEARCH_ENGINE_ALIAS}*"):
                client.indices.delete(index=index, ignore=[404])
        reset_backends()
        overrides.disable()


@pytest.fixture(autouse=True)
def media_root():
    """The module's world keeps its own folders (see ``world``)."""


@pytest.fixture(autouse=True)
def search_index():
    """The module's world keeps its own index (see ``world``)."""
