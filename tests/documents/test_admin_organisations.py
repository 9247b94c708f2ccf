"""Organisation boundaries in the Wagtail admin (issue 10, S3): a quality-office member of
ҚазҰТЗУ only neither sees nor changes АӨУ's forms, units, settings or pages, although the
quality-office group holds the model permissions and page permissions on both libraries
(the demo's choice: its own quality office works for both universities)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from records.permissions import QUALITY_OFFICE_GROUP
from sapa.documents.models import QmsForm, Unit
from tests.factories.universities import Universities, build_universities, qms_form

pytestmark = pytest.mark.django_db

FORMS = "wagtailsnippets_documents_qmsform"
UNITS = "wagtailsnippets_documents_unit"


@pytest.fixture
def universities(users, kaznrtu_library, aru_library) -> Universities:
    """Both demo universities with the demo's groups (``users``), a form, a unit and a
    series each, and a quality-office member of ҚазҰТЗУ only."""
    return build_universities(kaznrtu_library, aru_library)


def form_post(item: QmsForm, **changes) -> dict:
    data = {
        "organisation": item.organisation_id,
        "code": item.code,
        "number": item.number,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "owning_document": "",
        "template_file": "",
    }
    return {**data, **changes}


def unit_post(item: Unit, **changes) -> dict:
    data = {
        "organisation": item.organisation_id,
        "name": item.name,
        "short_name": item.short_name,
        "kind": item.kind,
        "parent": "",
    }
    return {**data, **changes}


def shown(response) -> str:
    """What the person sees: the page, or the chooser modal's HTML and chosen items."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and the
    message "Sorry, you do not have permission to access this area"."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


# --- forms ---------------------------------------------------------------------------------


def test_the_forms_listing_shows_only_ones_own_organisation(client, universities):
    u = universities
    client.force_login(u.office)
    page = client.get(reverse(f"{FORMS}:list")).content.decode()
    assert u.kaz_form.title in page
    assert u.aru_form.title not in page and u.aru_form.code not in page
    assert ">АӨУ</option>" not in page and ">ҚазҰТЗУ</option>" in page  # the filter's choices
    client.force_login(u.root)  # a superuser acts on every organisation
    page = client.get(reverse(f"{FORMS}:list")).content.decode()
    assert u.kaz_form.title in page and u.aru_form.title in page


def test_another_organisations_form_cannot_be_edited(client, universities):
    u = universities
    client.force_login(u.office)
    own = client.post(
        reverse(f"{FORMS}:edit", args=(u.kaz_form.pk,)),
        form_post(u.kaz_form, title="Эдвайзердің жоспары (жаңа)"),
    )
    assert own.status_code == 302  # the same post on one's own form is a valid change
    u.kaz_form.refresh_from_db()
    assert u.kaz_form.title == "Эдвайзердің жоспары (жаңа)"

    assert client.get(reverse(f"{FORMS}:edit", args=(u.aru_form.pk,))).status_code == 404
    theirs = client.post(
        reverse(f"{FORMS}:edit", args=(u.aru_form.pk,)),
        form_post(u.aru_form, title="Бөтен өзгеріс"),
    )
    assert theirs.status_code == 404
    u.aru_form.refresh_from_db()
    assert u.aru_form.title == "Ментордың жылдық есебі"
    assert u.aru_form.revisions.count() == 1


@pytest.mark.parametrize("view", ["delete", "history", "usage", "copy", "history_results"])
def test_another_organisations_form_does_not_open_in_any_view(client, universities, view):
    u = universities
    client.force_login(u.root)
    assert client.get(reverse(f"{FORMS}:{view}", args=(u.aru_form.pk,))).status_code == 200
    client.force_login(u.office)
    response = client.get(reverse(f"{FORMS}:{view}", args=(u.aru_form.pk,)))
    assert response.status_code == 404
    assert u.aru_form.title not in response.content.decode()
    assert QmsForm.objects.filter(pk=u.aru_form.pk).exists()


def test_another_organisations_form_revisions_are_not_compared_or_reverted(client, universities):
    u = universities
    u.aru_form.title = "Ментордың есебі (2-нұсқа)"
    u.aru_form.save()
    revision = u.aru_form.save_revision()
    compare = reverse(f"{FORMS}:revisions_compare", args=(u.aru_form.pk, "earliest", "latest"))
    revert = reverse(f"{FORMS}:revisions_revert", args=(u.aru_form.pk, revision.pk))
    client.force_login(u.root)
    assert "Ментордың есебі (2-нұсқа)" in client.get(compare).content.decode()
    client.force_login(u.office)
    for url in (compare, revert):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ментордың" not in response.content.decode()
    response = client.post(revert, form_post(u.aru_form, title="Бөтен қайтару"))
    assert response.status_code == 404
    u.aru_form.refresh_from_db()
    assert u.aru_form.title == "Ментордың есебі (2-нұсқа)"


def test_a_new_form_cannot_be_filed_under_another_organisation(client, universities):
    u = universities
    client.force_login(u.office)
    form = client.get(reverse(f"{FORMS}:add")).context["form"]
    assert list(form.fields["organisation"].queryset) == [u.kaz]
    response = client.post(
        reverse(f"{FORMS}:add"),
        form_post(u.aru_form, code="АӨУ 12-02 Ф", number="12-02", title="Бөтен форма"),
    )
    assert response.status_code == 200  # the form again, with the refused choice marked
    assert "organisation" in response.context["form"].errors
    assert not QmsForm.objects.filter(code="АӨУ 12-02 Ф").exists()


def test_ones_own_form_cannot_be_moved_to_another_organisation(client, universities):
    u = universities
    client.force_login(u.office)
    response = client.post(
        reverse(f"{FORMS}:edit", args=(u.kaz_form.pk,)),
        form_post(u.kaz_form, organisation=u.aru.pk),
    )
    assert "organisation" in response.context["form"].errors
    u.kaz_form.refresh_from_db()
    assert u.kaz_form.organisation == u.kaz


def test_bulk_delete_leaves_another_organisations_form(client, universities):
    from django.contrib.auth.models import Group, Permission

    u = universities
    Group.objects.get(name=QUALITY_OFFICE_GROUP).permissions.add(
        Permission.objects.get(codename="delete_qmsform")
    )
    unused = qms_form(u.aru, "АӨУ 12-09 Ф", "12-09", "Ф", "Ешқай серияда жоқ форма")
    client.force_login(u.office)
    for ids in (f"id={unused.pk}", "id=all"):
        url = reverse("wagtail_bulk_action", args=("documents", "qmsform", "delete"))
        client.post(f"{url}?{ids}")
        assert QmsForm.objects.filter(pk=unused.pk).exists()
    client.force_login(u.root)  # the same request deletes it for someone who may
    client.post(f"{url}?id={unused.pk}")
    assert not QmsForm.objects.filter(pk=unused.pk).exists()


# --- units ---------------------------------------------------------------------------------


def test_the_units_listing_and_editor_stay_inside_ones_organisation(client, universities):
    u = universities
    client.force_login(u.office)
    page = client.get(reverse(f"{UNITS}:list")).content.decode()
    assert u.kaz_unit.name in page and u.aru_unit.name not in page
    assert client.get(reverse(f"{UNITS}:edit", args=(u.aru_unit.pk,))).status_code == 404
    response = client.post(
        reverse(f"{UNITS}:edit", args=(u.aru_unit.pk,)), unit_post(u.aru_unit, short_name="ЖЖ")
    )
    assert response.status_code == 404
    u.aru_unit.refresh_from_db()
    assert u.aru_unit.short_name == "ӘМЖСД"
    # a unit of one's own cannot be placed under another organisation's unit
    response = client.post(
        reverse(f"{UNITS}:edit", args=(u.kaz_unit.pk,)),
        unit_post(u.kaz_unit, parent=u.aru_unit.pk),
    )
    assert "parent" in response.context["form"].errors
    u.kaz_unit.refresh_from_db()
    assert u.kaz_unit.parent is None


@pytest.mark.parametrize("model", ["unit", "qmsform"])
def test_the_choosers_offer_only_ones_own_organisation(client, universities, model):
    u = universities
    ours, theirs = (u.kaz_unit, u.aru_unit) if model == "unit" else (u.kaz_form, u.aru_form)
    namespace = f"wagtailsnippetchoosers_documents_{model}"
    client.force_login(u.office)
    modal = shown(client.get(reverse(f"{namespace}:choose")))
    results = shown(client.get(reverse(f"{namespace}:choose_results")))
    for html in (modal, results):
        assert str(ours).split(" (")[0] in html
        assert str(theirs).split(" (")[0] not in html
    assert client.get(reverse(f"{namespace}:chosen", args=(theirs.pk,))).status_code == 404
    chosen = client.get(reverse(f"{namespace}:chosen_multiple") + f"?id={theirs.pk}")
    assert str(theirs).split(" (")[0] not in shown(chosen)
    assert client.get(reverse(f"{namespace}:chosen", args=(ours.pk,))).status_code == 200


# --- organisation settings -----------------------------------------------------------------


def test_another_organisations_settings_are_refused(client, universities):
    """Wagtail's settings view refuses a site one may not edit as it refuses any missing
    permission (the sites are the public web sites: there is nothing to hide by a 404)."""
    u = universities
    url = reverse("wagtailsettings:edit", args=("documents", "organisation", u.aru.site_id))
    client.force_login(u.office)
    assert refused(client.get(url))
    assert refused(client.post(url, {"short_name": "Бөтен", "code_prefix": "АӨУ"}))
    u.aru.refresh_from_db()
    assert u.aru.short_name == "АӨУ"
    own = client.get(
        reverse("wagtailsettings:edit", args=("documents", "organisation", u.kaz.site_id))
    )
    assert own.status_code == 200
    assert own.context["site_switcher"] is None  # no switch to the other university


# --- pages ---------------------------------------------------------------------------------


def test_another_organisations_pages_are_not_edited(client, universities):
    """The quality-office group holds page permissions on both libraries; a member of
    ҚазҰТЗУ only edits ҚазҰТЗУ's library and not АӨУ's."""
    u = universities
    client.force_login(u.office)
    own = client.get(reverse("wagtailadmin_pages:edit", args=(u.kaz_library.pk,)))
    assert own.status_code == 200
    edit = reverse("wagtailadmin_pages:edit", args=(u.aru_library.pk,))
    assert refused(client.get(edit))
    assert refused(client.post(edit, {"title": "Бөтен тізілім", "slug": "docs", "intro": ""}))
    u.aru_library.refresh_from_db()
    assert u.aru_library.title == "Құжаттар тізілімі"
    explorer = client.get(reverse("wagtailadmin_explore", args=(u.aru_library.pk,)))
    # the explorer takes them back to their own university's tree
    assert explorer.url == reverse("wagtailadmin_explore", args=(u.kaz_library.pk,))
    assert not u.aru_library.permissions_for_user(u.office).can_add_subpage()
    assert u.kaz_library.permissions_for_user(u.office).can_publish_subpage()


def test_the_demo_quality_office_keeps_both_universities(client, universities, users):
    quality = users["quality"]  # a member of both organisations, as the demo makes it
    client.force_login(quality)
    page = client.get(reverse(f"{FORMS}:list")).content.decode()
    assert universities.kaz_form.title in page and universities.aru_form.title in page
    edit = reverse("wagtailadmin_pages:edit", args=(universities.aru_library.pk,))
    assert client.get(edit).status_code == 200


# --- the approval task ---------------------------------------------------------------------


@pytest.fixture
def aru_in_approval(universities, users, workflow, client):
    """A first edition of АӨУ, agreed by both agreers and waiting for the approval task,
    which the quality-office group (both universities' members alike) is given."""
    import datetime

    from tests.documents.helpers import fresh
    from tests.documents.test_workflow import agree_in_admin
    from tests.factories.documents import ProcedurePageFactory, agreed

    page = ProcedurePageFactory(
        parent=universities.aru_library,
        title="Ментордың қызметтік нұсқаулығы",
        effective_date=None,
        approval_order_number="",
    )
    page.agreed_by = [
        agreed("Проректор", "Р.Искаков", user=users["agreer1"]),
        agreed("Ректор аппаратының басшысы", "Б.Мықтыбаев", user=users["agreer2"]),
        agreed("Заңгер", "Л.Б. Алиманова", date=datetime.date(2016, 6, 23)),
    ]
    page.save_revision(user=users["quality"])
    page.get_workflow().start(fresh(page), users["quality"])
    agree_in_admin(client, page, users["agreer1"])
    agree_in_admin(client, page, users["agreer2"])
    page = fresh(page)
    assert page.current_workflow_task.name == "Бекіту (БЕКІТІЛДІ)"
    return page


def test_another_organisations_draft_is_not_approved_or_edited(
    client, universities, users, aru_in_approval
):
    from tests.documents.helpers import draft_of, fresh
    from tests.documents.test_workflow import approve_in_dialog, dashboard

    u = universities
    page = aru_in_approval
    assert page.title not in dashboard(client, u.office)  # not awaiting their review
    assert page.title in dashboard(client, users["quality"])
    client.force_login(u.office)
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    response = approve_in_dialog(
        client, page, u.office, order_number="12-Б", order_date="2025-09-01"
    )
    assert response.status_code != 200 or response.json()["step"] != "success"
    page = fresh(page)
    assert not page.live
    assert page.current_workflow_task.name == "Бекіту (БЕКІТІЛДІ)"
    assert draft_of(page).approval_order_number == ""


def test_a_document_cannot_be_owned_by_another_organisations_unit(client, universities, users):
    from tests.documents.helpers import draft_of
    from tests.documents.test_workflow import edit_data
    from tests.factories.documents import ProcedurePageFactory

    u = universities
    page = ProcedurePageFactory(parent=u.kaz_library)
    page.save_revision(user=users["quality"])
    client.force_login(users["quality"])  # even a member of both universities
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = edit_data(page, text="Эдвайзер жоспар жасайды.", action="action-save")
    response = client.post(url, {**data, "owning_unit": u.aru_unit.pk})
    assert response.status_code == 200
    assert "owning_unit" in response.context["form"].errors
    assert draft_of(page).owning_unit is None
    response = client.post(url, {**data, "owning_unit": u.kaz_unit.pk})
    assert response.status_code == 302
    assert draft_of(page).owning_unit == u.kaz_unit


# --- reports -------------------------------------------------------------------------------


def test_the_site_history_and_its_export_leave_out_another_organisations_objects(
    client, universities
):
    from wagtail.log_actions import log

    u = universities
    for item in (u.kaz_form, u.aru_form, u.kaz_series, u.aru_series, u.aru_unit):
        log(instance=item, action="wagtail.edit", user=u.root)
    client.force_login(u.office)
    for url in (
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:site_history_results"),
    ):
        page = client.get(url).content.decode()
        assert u.kaz_form.title in page and u.kaz_series.title in page
        for theirs in (u.aru_form.title, u.aru_series.title, u.aru_unit.name):
            assert theirs not in page
    export = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    exported = b"".join(export.streaming_content).decode("utf-8")
    assert u.kaz_form.title in exported and u.aru_form.title not in exported
    client.force_login(u.root)
    page = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert u.aru_form.title in page


def test_a_form_cannot_be_owned_by_another_organisations_document(client, universities):
    from tests.factories.documents import ProcedurePageFactory

    u = universities
    theirs = ProcedurePageFactory(parent=u.aru_library, title="Ментор туралы нұсқаулық")
    ours = ProcedurePageFactory(parent=u.kaz_library)
    assert (theirs.organisation, ours.organisation) == (u.aru, u.kaz)
    client.force_login(u.office)
    url = reverse(f"{FORMS}:edit", args=(u.kaz_form.pk,))
    response = client.post(url, form_post(u.kaz_form, owning_document=theirs.pk))
    assert "owning_document" in response.context["form"].errors
    u.kaz_form.refresh_from_db()
    assert u.kaz_form.owning_document is None
    assert client.post(url, form_post(u.kaz_form, owning_document=ours.pk)).status_code == 302
    u.kaz_form.refresh_from_db()
    assert u.kaz_form.owning_document_id == ours.pk


def test_the_page_chooser_and_page_types_report_keep_another_organisations_drafts(
    client, universities, users
):
    from tests.factories.documents import ProcedurePageFactory

    u = universities
    theirs = ProcedurePageFactory(parent=u.aru_library, title="Жоба: менторлар кеңесі", live=False)
    ours = ProcedurePageFactory(parent=u.kaz_library, title="Жоба: эдвайзерлер кеңесі", live=False)
    theirs.save_revision(user=users["quality"])  # the last page edited: АӨУ's draft
    client.force_login(u.office)
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Жоба"})
    found = shown(search)
    assert ours.title in found and theirs.title not in found
    browse = shown(client.get(reverse("wagtailadmin_choose_page_child", args=(u.aru_library.pk,))))
    assert theirs.title not in browse
    report = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert theirs.title not in report
    client.force_login(users["quality"])  # a member of both universities finds both
    found = shown(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Жоба"}))
    assert ours.title in found and theirs.title in found
    report = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert theirs.title in report
