"""Agreement (every agreer) and approval (order, scheduled publication) through Wagtail's
workflow machinery."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from sapa.documents.models import AgreementRecord, EditionStatus
from tests.documents.helpers import draft_of, fresh
from tests.factories.documents import ProcedurePageFactory, agreed

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(kaznrtu_library, users, workflow):
    page = ProcedurePageFactory(
        parent=kaznrtu_library, effective_date=None, approval_order_number=""
    )
    page.agreed_by = [
        agreed("Академиялық жұмыс жөніндегі проректор", "Р.Искаков", user=users["agreer1"]),
        agreed("Ректор аппаратының басшысы", "Б.Мықтыбаев", user=users["agreer2"]),
        agreed("Заңгер", "Л.Б. Алиманова", date=datetime.date(2016, 6, 23)),
    ]
    page.save_revision(user=users["quality"])
    return fresh(page)


def submit(page, user):
    return page.get_workflow().start(page, user)


def act(page, user, action, **data):
    page = fresh(page)
    state = page.current_workflow_task_state
    state.task.specific.on_action(state.specific, user, action, **data)
    return fresh(page)


def actions_for(page, user):
    page = fresh(page)
    return [name for name, _label, _modal in page.current_workflow_task.get_actions(page, user)]


def test_every_agreer_must_agree_not_just_one(draft, users):
    submit(draft, users["quality"])
    assert actions_for(draft, users["agreer1"]) == ["reject", "approve", "approve"]
    assert actions_for(draft, users["staff"]) == []
    assert actions_for(draft, users["quality"]) == []

    page = act(draft, users["agreer1"], "approve")
    assert page.current_workflow_task.name == "Келісу (КЕЛІСІЛДІ)"
    lines = {line.person: line.date for line in draft_of(page).agreed_by.all()}
    assert lines["Р.Искаков"] == timezone.localdate()
    assert lines["Б.Мықтыбаев"] is None
    assert lines["Л.Б. Алиманова"] == datetime.date(2016, 6, 23)
    assert actions_for(page, users["agreer1"]) == []  # agreed once, nothing more to do

    page = act(page, users["agreer2"], "approve", comment="Келісемін")
    assert page.current_workflow_task.name == "Бекіту (БЕКІТІЛДІ)"
    assert all(line.date for line in draft_of(page).agreed_by.all())
    records = list(AgreementRecord.objects.values_list("user__username", "comment"))
    assert records == [("agreer1", ""), ("agreer2", "Келісемін")]
    assert not page.live


def test_request_changes_returns_the_draft_to_its_author(draft, users):
    submit(draft, users["quality"])
    page = act(draft, users["agreer2"], "reject", comment="3.1.5 тармағын нақтылаңыз")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.requested_by == users["quality"]
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.get_comment() == "3.1.5 тармағын нақтылаңыз"
    assert rejected.finished_by == users["agreer2"]
    assert not page.live


def approve_all(draft, users, **order):
    submit(draft, users["quality"])
    page = act(draft, users["agreer1"], "approve")
    page = act(page, users["agreer2"], "approve")
    return act(page, users["quality"], "approve", **order)


def test_approval_records_the_order_and_publishes(draft, users):
    page = approve_all(
        draft,
        users,
        order_number="254-Б",
        order_date="2016-07-08",
        approver_name="Ректор",
        comment="",
    )
    assert page.live
    assert page.approval_order_number == "254-Б"
    assert page.approval_order_date == datetime.date(2016, 7, 8)
    edition = page.editions.get()
    assert edition.status == EditionStatus.IN_FORCE
    assert edition.approval_order_number == "254-Б"
    assert all(line.date for line in page.agreed_by.all())


def test_approval_needs_an_order_number(draft, users):
    submit(draft, users["quality"])
    page = act(draft, users["agreer1"], "approve")
    page = act(page, users["agreer2"], "approve")
    with pytest.raises(Exception, match="order_number"):
        act(page, users["quality"], "approve", order_date="2016-07-08")
    assert fresh(page).current_workflow_task.name == "Бекіту (БЕКІТІЛДІ)"


def test_publication_waits_for_the_effective_date(draft, users):
    effective = timezone.localdate() + datetime.timedelta(days=10)
    page = draft_of(draft)
    page.effective_date = effective
    page.save_revision(user=users["quality"])
    page = approve_all(fresh(draft), users, order_number="12-Б", order_date=timezone.localdate())
    assert not page.live
    assert page.editions.count() == 0
    scheduled = page.get_latest_revision()
    assert timezone.localtime(scheduled.approved_go_live_at).date() == effective

    call_command("publish_scheduled")
    assert not fresh(page).live

    with time_machine.travel(scheduled.approved_go_live_at + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
        page = fresh(page)
        assert page.live
        assert page.editions.get().effective_from == effective


def test_agreers_act_from_the_admin(draft, users, client):
    from django.urls import reverse

    submit(draft, users["quality"])
    client.force_login(users["agreer1"])
    dashboard = client.get("/admin/").content.decode()
    assert "Білім алушыларға академиялық қолдау көрсету" in dashboard  # awaiting their review
    state = fresh(draft).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", state.pk))
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    lines = {line.person: line.date for line in draft_of(draft).agreed_by.all()}
    assert lines["Р.Искаков"] == timezone.localdate()

    client.force_login(users["staff"])
    assert client.post(url, {"comment": ""}).status_code in (302, 403)
    assert draft_of(draft).agreed_by.all()[1].date is None
