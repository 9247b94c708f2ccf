"""Demo content: two organisations, their libraries, the two seed documents, users and the
agreement-and-approval workflow. Used by ``manage.py demo`` and by tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site, Workflow, WorkflowPage, WorkflowTask

from records.models import OrganisationMembership
from records.permissions import AUDITORS_GROUP, KEEPERS_GROUP, QUALITY_OFFICE_GROUP
from sapa.documents.form_collections import grant_form_collection
from sapa.documents.importing.build import draft_from_parsed
from sapa.documents.importing.text import parse_text
from sapa.documents.models import (
    AgreementTask,
    ApprovalTask,
    ControlledDocument,
    DocumentLibraryPage,
    Organisation,
    Unit,
    UnitMember,
)

from .demo_forms import attach_form_templates
from .demo_records import (
    load_records_demo,
    load_second_organisation_records_demo,
    name_demo_forms,
)
from .demo_workflow import link_demo_agreers
from .models import HomePage, OrganisationHomePage

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_PORT = 8000
QUALITY_GROUP = QUALITY_OFFICE_GROUP
AGREERS_GROUP = "Келісушілер"
STAFF_GROUP = "Қызметкерлер"
# Invented people, and what each does (printed by ``manage.py demo``): a role written as a
# first name ("Қызметкер: тек оқиды") was shown as the person's name on Russian and English
# pages, and, with no surname, Wagtail's account settings could not be saved (the language
# could not be changed).
DEMO_USERS = {
    "quality": (
        QUALITY_GROUP,
        "Айгерім",
        "Сапарова",
        "Сапа бөлімінің маманы: жобалайды, жариялайды",
    ),
    "quality2": (
        QUALITY_GROUP,
        "Бауыржан",
        "Әлиев",
        "Сапа бөлімінің басшысы: жоюды екінші адам ретінде бекітеді",
    ),
    "agreer1": (AGREERS_GROUP, "Данияр", "Омаров", "Келісуші 1"),
    "agreer2": (AGREERS_GROUP, "Мәдина", "Қасымова", "Келісуші 2"),
    "staff": (STAFF_GROUP, "Әсел", "Нұрланова", "Қызметкер: тек оқиды"),
    "keeper": (KEEPERS_GROUP, "Жанна", "Ермекова", "ИТИ жазба жүргізушісі"),
    "auditor": (
        AUDITORS_GROUP,
        "Серік",
        "Тоқтаров",
        "Аудитор: ҚазҰТЗУ жазбаларын оқиды, ештеңе өзгертпейді",
    ),
}


def demo_email(username: str) -> str:
    """A demo account's e-mail address: ``quality@example.org``."""
    return f"{username}@example.org"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    hostname: str
    name_kk: str
    name_ru: str
    name_en: str
    short_name: str
    code_prefix: str
    ministry: str
    ministry_ru: str
    ministry_en: str
    city: str
    units: tuple[tuple[str, str, str], ...]
    seed: str
    owning_unit: str


ORGANISATIONS = (
    DemoOrganisation(
        slug="kaznrtu",
        hostname="kaznrtu.localhost",
        name_kk="«Қ.И.Сәтбаев атындағы Қазақ ұлттық техникалық зерттеу университеті» КЕАҚ",
        name_ru=(
            "НАО «Казахский национальный исследовательский технический университет "
            "имени К.И.Сатпаева»"
        ),
        name_en="Satbayev University (KazNRTU)",
        short_name="ҚазҰТЗУ",
        code_prefix="ҚазҰТЗУ",
        ministry="Қазақстан Республикасының Білім және ғылым министрлігі",
        ministry_ru="Министерство образования и науки Республики Казахстан",
        ministry_en="Ministry of Education and Science of the Republic of Kazakhstan",
        city="Алматы",
        units=(
            ("Тәрбие және әлеуметтік жұмыс департаменті", "ТжӘЖД", "department"),
            ("Академиялық мәселелер департаменті", "АМД", "department"),
            ("Тіркеу кеңсесі", "ТК", "sector"),
            ("Медициналық орталық", "МО", "sector"),
            ("Ақпараттық технологиялар департаменті", "АТД", "department"),
            ("Ақпараттық және телекоммуникациялық технологиялар институты", "ИТИ", "institute"),
        ),
        seed="kaznrtu_715_kp.txt",
        owning_unit="ТжӘЖД",
    ),
    DemoOrganisation(
        slug="aru",
        hostname="aru.localhost",
        name_kk="«Қ.Жұбанов атындағы Ақтөбе өңірлік университеті» КеАҚ",
        name_ru="НАО «Актюбинский региональный университет имени К.Жубанова»",
        name_en="K. Zhubanov Aktobe Regional University",
        short_name="АӨУ",
        code_prefix="АӨУ",
        ministry="Қазақстан Республикасы Ғылым және жоғары білім министрлігі",
        ministry_ru="Министерство науки и высшего образования Республики Казахстан",
        ministry_en="Ministry of Science and Higher Education of the Republic of Kazakhstan",
        city="Ақтөбе",
        units=(("Әлеуметтік мәселелер және жастар саясаты департаменті", "ӘМЖСД", "department"),),
        seed="aru_mentor_kn.txt",
        owning_unit="ӘМЖСД",
    ),
)


def ensure_portal() -> HomePage:
    portal = HomePage.objects.first()
    if portal is not None:
        return portal
    root = Page.get_first_root_node()
    portal = root.add_child(
        instance=HomePage(
            title="Sapa: университеттердің сапа құжаттары",
            slug="sapa",
            intro="Сапа менеджменті жүйесінің бақыланатын құжаттары мен жазбалары.",
            title_ru="Sapa: документы качества университетов",
            intro_ru="Контролируемые документы и записи системы менеджмента качества.",
            title_en="Sapa: universities' quality documents",
            intro_en="Controlled documents and records of the quality management system.",
        )
    )
    welcome = Page.objects.filter(depth=2, slug="home").exclude(pk=portal.pk).first()
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=DEMO_PORT,
        root_page=portal,
        is_default_site=True,
        site_name="Sapa",
    )
    if welcome is not None and not welcome.get_children().exists():
        welcome.delete()
    return portal


def ensure_organisation(portal: HomePage, spec: DemoOrganisation) -> DocumentLibraryPage:
    home = OrganisationHomePage.objects.child_of(portal).filter(slug=spec.slug).first()
    if home is None:
        home = portal.add_child(
            instance=OrganisationHomePage(title=spec.short_name, slug=spec.slug)
        )
    site, _ = Site.objects.get_or_create(
        hostname=spec.hostname,
        port=DEMO_PORT,
        defaults={"root_page": home, "site_name": spec.short_name},
    )
    organisation = Organisation.for_site(site)
    fields = ("name_kk", "name_ru", "name_en", "short_name", "code_prefix", "city")
    for field in (*fields, "ministry", "ministry_ru", "ministry_en"):
        setattr(organisation, field, getattr(spec, field))
    organisation.save()
    for name, short, kind in spec.units:
        Unit.objects.get_or_create(
            organisation=organisation, name=name, defaults={"short_name": short, "kind": kind}
        )
    library = DocumentLibraryPage.objects.child_of(home).first()
    if library is None:
        library = home.add_child(
            instance=DocumentLibraryPage(
                title="Құжаттар тізілімі",
                slug="docs",
                intro="Күшіндегі СМЖ құжаттары.",
                title_ru="Реестр документов",
                intro_ru="Действующие документы СМК.",
                title_en="Document register",
                intro_en="QMS documents in force.",
            )
        )
    return library


def ensure_groups_and_users(libraries: list[DocumentLibraryPage]) -> dict[str, object]:
    User = get_user_model()
    quality, _ = Group.objects.get_or_create(name=QUALITY_GROUP)
    agreers, _ = Group.objects.get_or_create(name=AGREERS_GROUP)
    for name in (STAFF_GROUP, KEEPERS_GROUP, AUDITORS_GROUP):
        Group.objects.get_or_create(name=name)
    admin_access = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    quality.permissions.add(admin_access)
    agreers.permissions.add(admin_access)
    for codename in (
        "add_qmsform",
        "change_qmsform",
        "add_unit",
        "change_unit",
        "change_organisation",
        "add_unitmember",
        "change_unitmember",
    ):
        quality.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="documents")
        )
    for model in ("recordseries", "keeperassignment", "seriesgrant", "recordspolicy"):
        for action in ("add", "change", "view"):
            permission = Permission.objects.get(
                codename=f"{action}_{model}", content_type__app_label="records"
            )
            quality.permissions.add(permission)
    for codename in ("add_document", "change_document", "choose_document"):
        quality.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="wagtaildocs")
        )
    for library in libraries:
        # the organisation's form templates: its own collection, the quality office's to
        # fill (a member of one university's office sees only that one's)
        grant_form_collection(Organisation.for_site(library.get_site()), [quality])
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
            GroupPagePermission.objects.get_or_create(
                group=quality,
                page=library,
                permission=Permission.objects.get(
                    codename=codename, content_type__app_label="wagtailcore"
                ),
            )
    users = {}
    for username, (group_name, first_name, last_name, _role) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=username, first_name=first_name, last_name=last_name
            )
        elif not user.last_name:  # a demo made before its people had names
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
        if not user.email:
            # Wagtail mails a workflow's steps only to those with an address (example.org:
            # reserved for examples, RFC 2606), and the demo's are its own: nobody's inbox.
            user.email = demo_email(username)
            user.save(update_fields=["email"])
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    # Where the records roles apply: the quality office (two people, since a disposition needs a
    # second one to approve it) works for both universities of the demo, the auditor audits the
    # first one only (and sees none of the other's records).
    organisations = [Organisation.for_site(library.get_site()) for library in libraries]
    for username, covered in (
        ("quality", organisations),
        ("quality2", organisations),
        ("auditor", organisations[:1]),
    ):
        for organisation in covered:
            OrganisationMembership.objects.get_or_create(
                user=users[username], organisation=organisation
            )
    return users


def ensure_workflow(libraries: list[DocumentLibraryPage]) -> Workflow:
    workflow, created = Workflow.objects.get_or_create(name="Келісу және бекіту")
    if created:
        agreement = AgreementTask.objects.create(name="Келісу (КЕЛІСІЛДІ)")
        approval = ApprovalTask.objects.create(name="Бекіту (БЕКІТІЛДІ)")
        approval.groups.set([Group.objects.get(name=QUALITY_GROUP)])
        WorkflowTask.objects.create(workflow=workflow, task=agreement, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    for library in libraries:
        WorkflowPage.objects.get_or_create(page=library, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def load_demo() -> dict[str, object]:
    """Create (or complete) the demo content; safe to run again."""
    portal = ensure_portal()
    libraries = [ensure_organisation(portal, spec) for spec in ORGANISATIONS]
    users = ensure_groups_and_users(libraries)
    ensure_workflow(libraries)
    # staff works in ТжӘЖД of ҚазҰТЗУ, which owns 715: they are asked to read it
    UnitMember.objects.get_or_create(
        user=users["staff"],
        unit=Unit.objects.get(
            organisation=Organisation.for_site(libraries[0].get_site()),
            short_name=ORGANISATIONS[0].owning_unit,
        ),
    )
    documents, drafts = [], []
    for spec, library in zip(ORGANISATIONS, libraries, strict=True):
        parsed = parse_text((DEMO_DATA / spec.seed).read_text(encoding="utf-8"), filename=spec.seed)
        existing = ControlledDocument.objects.child_of(library).live().first()
        if existing is not None:
            documents.append(existing.specific)
            continue
        page, revision = draft_from_parsed(parsed, library=library, user=users["quality"])
        page.owning_unit = Unit.objects.filter(
            organisation=page.organisation, short_name=spec.owning_unit
        ).first()
        documents.append(page)
        drafts.append(page)
    # The forms' templates and titles first: each edition comes into force with its forms as
    # they read, so a change registered later is one made to them later (change_content).
    attach_form_templates(documents, user=users["quality"])
    name_demo_forms(organisation=documents[0].organisation)
    for page in drafts:
        revision = page.save_revision(user=users["quality"])
        revision.publish(user=users["quality"])
    documents = [ControlledDocument.objects.get(pk=page.pk).specific for page in documents]
    link_demo_agreers(documents, users)
    records = load_records_demo(organisation=documents[0].organisation, users=users)
    records += load_second_organisation_records_demo(
        organisation=documents[1].organisation, users=users
    )
    return {
        "portal": portal,
        "libraries": libraries,
        "users": users,
        "documents": documents,
        "records": records,
    }
