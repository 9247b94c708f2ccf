"""Two universities on one portal: the quality office and the auditors of one never see or
touch the other's records: not in the list, the pages, the files, the export, the search, the
access log, holds or dispositions."""

import csv
import html
import io
import json
import re
import zipfile
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from records import services
from records.models import (
    AccessAction,
    AccessLogEntry,
    Disposition,
    OrganisationMembership,
    RecordStatus,
)
from records.permissions import AUDITORS_GROUP, QUALITY_OFFICE_GROUP, visible_records
from records.services import record_create
from sapa.documents.models import Organisation, Unit
from search import indexing
from search.services import search_for
from tests.factories.records import attach, form, make_record, series, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world, aru_library):
    """The other university's auditor and quality office."""
    aru = Organisation.for_page(aru_library)
    auditor = user("aru_auditor", AUDITORS_GROUP)
    office = user("aru_quality", QUALITY_OFFICE_GROUP)
    for account in (auditor, office):
        OrganisationMembership.objects.create(user=account, organisation=aru)
    return {"auditor": auditor, "quality": office, "organisation": aru}


@pytest.fixture
def secret(world, pdf_bytes):
    record = make_record(world, series=world.certificates, title="Студенттің әлеуметтік анықтамасы")
    attach(record, pdf_bytes, "анықтама.pdf", user=world.users["keeper"])
    return record


@pytest.mark.parametrize("role", ["auditor", "quality"])
def test_the_other_universitys_roles_see_nothing_of_these_records(
    client, world, other, secret, role
):
    account = other[role]
    assert not visible_records(account).exists()
    assert visible_records(world.users[role]).filter(pk=secret.pk).exists()  # ours do
    client.force_login(account)
    assert secret.identifier not in client.get(reverse("records:list")).content.decode()
    for name in ("records:detail", "records:history"):
        assert client.get(reverse(name, args=(secret.pk,))).status_code == 404
    download = client.get(reverse("records:download", args=(secret.files.get().pk,)))
    assert download.status_code == 404
    exported = client.get(reverse("records:export"))
    with zipfile.ZipFile(io.BytesIO(b"".join(exported.streaming_content))) as bundle:
        assert json.loads(bundle.read("manifest.json")) == []


def test_search_leaves_out_the_other_universitys_records(world, other, secret):
    indexing.rebuild()
    ours = search_for(world.users["auditor"], "анықтама", types=("record",)).results
    theirs = search_for(other["auditor"], "анықтама", types=("record",)).results
    assert f"record:{secret.pk}" in {h.entry["entry_id"] for h in ours.hits}
    assert theirs.total == 0 and theirs.hits == []
    assert theirs.facets["form_code"] == {} and theirs.facets["organisation_id"] == {}


def test_the_access_log_shows_only_the_readers_organisation(client, world, other, secret):
    client.force_login(world.users["auditor"])
    client.get(reverse("records:detail", args=(secret.pk,)))
    assert AccessLogEntry.objects.filter(record=secret, action=AccessAction.VIEW).exists()
    client.force_login(other["auditor"])
    page = client.get(reverse("records:access_log")).content.decode()
    assert secret.identifier not in page
    assert f"<td>{world.users['auditor'].username}</td>" not in page
    client.force_login(world.users["quality"])
    assert secret.identifier in client.get(reverse("records:access_log")).content.decode()


def test_the_other_quality_office_cannot_change_hold_or_dispose(client, world, other, secret):
    office = other["quality"]
    client.force_login(office)
    assert (
        client.post(reverse("records:close", args=(secret.pk,)), {"reason": "x"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        services.hold_place(
            organisation=world.organisation,
            reason="audit",
            description="тексеру",
            records=[secret],
            user=office,
        )
    response = client.post(
        reverse("records:retention"),
        {"identifiers": secret.identifier, "reason": "audit", "description": "тексеру"},
    )
    assert response.status_code == 200  # the form again, with its error: no hold placed
    assert not secret.holds.exists()
    secret.refresh_from_db()
    assert secret.status != RecordStatus.DISPOSED


def test_a_hold_covers_the_records_of_its_own_organisation_only(world, other, secret):
    for account in (other["quality"], user("root", is_superuser=True)):
        with pytest.raises(ValidationError):
            services.hold_place(
                organisation=other["organisation"],
                reason="audit",
                description="тексеру",
                records=[secret],
                user=account,
            )
    assert not secret.holds.exists()


@pytest.fixture
def office_of_both(world, other):
    """ҚазҰТЗУ's quality office, also acting for АӨУ, and a record of each university."""
    office = world.users["quality"]
    OrganisationMembership.objects.create(user=office, organisation=other["organisation"])
    aru = other["organisation"]
    unit = Unit.objects.create(organisation=aru, name="Педагогика кафедрасы", short_name="ПК")
    theirs = record_create(
        series=series(aru, form(aru, "715-02", "Тәлімгердің жұмыс жоспары")),
        unit=unit,
        title="Тәлімгер жоспары",
        period_kind="academic_year",
        academic_year="2025-2026",
        user=office,
        reason="толтырылды",
    )
    return office, make_record(world, title="Эдвайзер жоспары"), theirs


def test_the_hold_page_refuses_records_of_two_universities_in_one_hold(client, office_of_both):
    office, ours, theirs = office_of_both
    client.force_login(office)
    response = client.post(
        reverse("records:retention"),
        {
            "identifiers": f"{ours.identifier} {theirs.identifier}",
            "reason": "audit",
            "description": "тексеру",
        },
    )
    with translation.override("kk"):
        refusal = gettext("A hold covers the records of one organisation.")
    assert refusal in response.content.decode()
    assert not ours.holds.exists() and not theirs.holds.exists()
    # One university's records make one hold, of that university.
    client.post(
        reverse("records:retention"),
        {"identifiers": theirs.identifier, "reason": "audit", "description": "тексеру"},
    )
    assert theirs.holds.get().organisation == theirs.organisation
    assert not ours.holds.exists()


def test_the_disposition_page_refuses_records_of_two_universities(client, office_of_both):
    office, ours, theirs = office_of_both
    client.force_login(office)
    response = client.post(reverse("records:propose"), {"record": [ours.pk, theirs.pk]})
    with translation.override("kk"):
        refusal = gettext("The disposition was not proposed. %(why)s") % {
            "why": gettext("Choose records of one organisation.")
        }
    assert refusal in [str(m) for m in response.context["messages"]]
    assert not Disposition.objects.exists()


def test_upgrading_keeps_what_existing_roles_saw(world, aru_library):
    """Accounts that had the roles before memberships existed keep every organisation."""
    from importlib import import_module

    migration = import_module("records.migrations.0006_organisation_membership")
    veteran = user("veteran_auditor", AUDITORS_GROUP)
    assert not visible_records(veteran).exists()
    migration.keep_what_they_saw(apps, None)
    covered = set(
        OrganisationMembership.objects.filter(user=veteran).values_list("organisation", flat=True)
    )
    assert covered == set(Organisation.configured().values_list("pk", flat=True))
    assert len(covered) == 2


def test_the_nomenclature_admin_shows_and_opens_only_ones_own_organisation(
    client, world, aru_library
):
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=QUALITY_OFFICE_GROUP).permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                *(
                    f"{action}_{model}"
                    for action in ("add", "change", "view")
                    for model in ("recordseries", "keeperassignment")
                ),
            ]
        )
    )
    aru = Organisation.for_page(aru_library)
    office = user("aru_office", QUALITY_OFFICE_GROUP)
    OrganisationMembership.objects.create(user=office, organisation=aru)
    client.force_login(office)
    listing = client.get(reverse("recordseries:index"))
    assert listing.status_code == 200
    assert world.plans.title not in listing.content.decode()
    edit = client.get(reverse("recordseries:edit", args=(world.plans.pk,)))
    assert edit.status_code == 404
    form = client.get(reverse("recordseries:add")).context["form"]
    assert list(form.fields["organisation"].queryset) == [aru]
    assert world.organisation not in form.fields["organisation"].queryset
    keepers = client.get(reverse("keeperassignment:index")).content.decode()
    assert world.institute.name not in keepers and world.chair.name not in keepers
    client.force_login(world.users["quality"])  # KazNRTU's office sees its own
    assert world.plans.title in client.get(reverse("recordseries:index")).content.decode()
    assert world.institute.name in client.get(reverse("keeperassignment:index")).content.decode()


def test_the_hold_forms_series_are_in_order_and_name_their_university(client, office_of_both):
    """A quality office acting for two universities read one unsorted list of both
    nomenclatures, with nothing to tell whose series was whose."""
    office, ours, theirs = office_of_both
    client.force_login(office)
    page = client.get(reverse("records:retention"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    select = re.search(r'<select name="series".*?</select>', page, re.S).group(0)
    options = [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]+)</option>", select)]
    shorts = [ours.organisation.short_name, theirs.organisation.short_name]
    assert all(option.split(" · ")[0] in shorts for option in options), options
    assert f"{theirs.organisation.short_name} · {theirs.series.form.code}" in " ".join(options)
    # One university's series together, each in the order of its forms' codes.
    universities = [option.split(" · ")[0] for option in options]
    assert universities == sorted(universities, key=universities.index), options
    for short in shorts:
        codes = [o.split(" · ")[1] for o in options if o.startswith(f"{short} · ")]
        assert codes == sorted(codes), codes


def test_the_list_says_whose_records_it_shows(client, world, other, office_of_both):
    # A tester saw ҚазҰТЗУ's and АӨУ's records in one list and took it for a leak: the
    # quality office of both universities is told it reads both.
    office, ours, theirs = office_of_both

    def said(account) -> str:
        client.force_login(account)
        page = client.get(reverse("records:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        found = re.search(r'<p class="scope">(.*?)</p>', page)
        if found:  # the names are the organisations' own, marked as Kazakh content
            assert '<span lang="kk">' in found.group(1)
        return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""

    with translation.override("en"):
        both = gettext(
            "You read the records of %(names)s: the organisations your account works for."
        )
    short = {o.pk: o.short_name for o in Organisation.objects.all()}
    names = ", ".join(sorted([short[ours.organisation_id], short[theirs.organisation_id]]))
    assert said(office) == both % {"names": names}
    assert said(other["auditor"]) == both % {"names": short[theirs.organisation_id]}
    assert said(world.users["keeper"]) == ""  # a unit's keeper: no organisation-wide reading


def test_on_a_universitys_host_the_list_and_export_show_that_universitys_records(
    client, office_of_both
):
    # On aru's host the quality office of both universities read ҚазҰТЗУ's records among
    # АӨУ's (a tester): there the list holds the host's university's, and offers the others.
    office, ours, theirs = office_of_both
    client.force_login(office)
    aru = {"HTTP_HOST": theirs.organisation.site.hostname}

    def listed(**asked) -> str:
        return client.get(reverse("records:list"), asked.pop("query", {}), **asked).content.decode()

    page = listed(**aru)
    assert theirs.identifier in page and ours.identifier not in page
    chosen = re.search(r'<option value="(\d+)" selected>', page)
    assert chosen and int(chosen.group(1)) == theirs.organisation_id
    # and says so, not only by the choice made in the filter
    said = re.search(r'<p class="scope listed-only">(.*?)</p>', page, re.S)
    with translation.override("kk"):
        only = gettext("Listed here: the records of %(name)s only, the organisation chosen below.")
    short = theirs.organisation.short_name
    assert said and html.unescape(re.sub(r"<[^>]+>", "", said.group(1))) == only % {"name": short}
    every = listed(query={"organisation": "all"}, **aru)
    assert theirs.identifier in every and ours.identifier in every
    mine = listed(query={"organisation": str(ours.organisation_id)}, **aru)
    assert ours.identifier in mine and theirs.identifier not in mine
    # Asked with other filters only (a link): still the host's university's.
    assert ours.identifier not in listed(query={"status": "open"}, **aru)
    # On the portal, no university's host: every one the office reads.
    portal = listed()
    assert theirs.identifier in portal and ours.identifier in portal
    assert "listed-only" not in portal

    # The export holds what the list shows.
    exported = client.get(reverse("records:export"), **aru)
    with zipfile.ZipFile(io.BytesIO(b"".join(exported.streaming_content))) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    assert [row["identifier"] for row in manifest] == [theirs.identifier]
    # Each row names its university, and so does the bundle's name (two universities'
    # bundles, exported one after the other, were told apart by the minute alone).
    assert [row["organisation"] for row in manifest] == [short]
    assert f"filename*=utf-8''sapa-records-{quote(short)}-" in exported["Content-Disposition"]
    every = client.get(reverse("records:export"), {"organisation": "all"}, **aru)
    with zipfile.ZipFile(io.BytesIO(b"".join(every.streaming_content))) as bundle:
        rows = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    with translation.override("kk"):
        column = rows[0].index(gettext("Organisation"))
    named = {row[column] for row in rows[1:]}
    assert named == {short, ours.organisation.short_name}
    assert 'filename="sapa-records-2' in every["Content-Disposition"]


def test_a_reader_of_one_university_is_offered_no_choice_of_university(client, world, other):
    plan = make_record(world, title="Эдвайзер жоспары")
    client.force_login(world.users["quality"])
    page = client.get(reverse("records:list")).content.decode()
    assert 'name="organisation"' not in page
    # and their bundle is named after their university
    exported = client.get(reverse("records:export"))
    short = plan.organisation.short_name
    assert short and f"sapa-records-{quote(short)}-" in exported["Content-Disposition"]
