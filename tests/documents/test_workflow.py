"""Agreement (every agreer, in rounds) and approval (order, scheduled publication) through
Wagtail's workflow machinery, driven the way the quality office and the agreers drive it: the
page editor's "Submit to …", the dashboard's actions and the approval dialog."""

import datetime
import html
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sapa.documents.models import (
    AGREE_WITH_COMMENT,
    AgreementRecord,
    EditionStatus,
    RegisterChange,
)
from sapa.documents.services import workflow_submission_problems
from sapa.localisation.dates import format_date
from tests.documents.helpers import clause_texts, draft_of, fresh, save_and_publish, visit
from tests.factories.documents import ProcedurePageFactory, agreed, register_row

pytestmark = pytest.mark.django_db

AGREEMENT = "Келісу (КЕЛІСІЛДІ)"
APPROVAL = "Бекіту (БЕКІТІЛДІ)"
TITLE = "Білім алушыларға академиялық қолдау көрсету"


def kk(message: str, **params) -> str:
    """``message`` as the Kazakh admin shows it (English until its translation is merged)."""
    with translation.override("kk"):
        text = gettext(message)
    return text % params if params else text


@pytest.fixture
def draft(kaznrtu_library, users, workflow):
    """A first edition, never published: two agreers with accounts, one agreed on paper."""
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


@pytest.fixture
def in_force(kaznrtu_library, users, workflow):
    """Edition №1 in force, as 715 in the demo: every КЕЛІСІЛДІ line carries its paper date,
    the first two are linked to the agreers' accounts."""
    page = ProcedurePageFactory(parent=kaznrtu_library)
    page.agreed_by = [
        agreed(
            "Академиялық жұмыс жөніндегі проректор",
            "Р.Искаков",
            user=users["agreer1"],
            date=datetime.date(2016, 7, 5),
        ),
        agreed(
            "Ректор аппаратының басшысы",
            "Б.Мықтыбаев",
            user=users["agreer2"],
            date=datetime.date(2016, 7, 4),
        ),
        agreed("Заңгер", "Л.Б. Алиманова", date=datetime.date(2016, 6, 23)),
    ]
    save_and_publish(page, users["quality"])
    return fresh(page)


# --- the admin, as people click it ---------------------------------------------------------


def edit_data(
    page, *, text: str, rows=(), lines=None, action="action-submit", items=(), title=None
) -> dict:
    """The page editor's form for ``page`` with clause 7.2 reading ``text`` (its bullets
    ``items``, the title ``title`` or the draft's), the draft's register plus the new
    ``rows``, and its КЕЛІСІЛДІ lines (or, given ``lines``, those instead), sent with
    ``action``."""
    draft = draft_of(page)

    def day(value):
        return value.isoformat() if value else ""

    kept = [
        {
            "id": str(line.pk or ""),
            "position": line.position,
            "person": line.person,
            "date": day(line.date),
            "user": str(line.user_id or ""),
            "DELETE": "on" if lines is not None else "",
        }
        for line in draft.agreed_by.all()
    ]
    recorded = list(draft.register_entries.all())

    fields = {
        "title": draft.title if title is None else title,
        "slug": draft.slug,
        "code": draft.code,
        "number": draft.number,
        "title_ru": "",
        "title_en": "",
        "qms_level": "",
        "owning_unit": "",
        "edition_number": str(draft.edition_number or ""),
        "edition_version": draft.edition_version,
        "edition_label": draft.edition_label,
        "edition_date": day(draft.edition_date),
        "effective_date": day(draft.effective_date),
        "validity": draft.validity,
        "review_date": "",
        "introduced_first_time": "on",
        "replaces_edition": "",
        "developed_unit": "",
        "developed_position": "",
        "developed_person": "",
        "developed_date": "",
        "approval_order_number": draft.approval_order_number,
        "approval_order_date": day(draft.approval_order_date),
        "approver_position": "",
        "approver_name": draft.approver_name,
        "agreed_by": inline_formset([*kept, *(lines or [])], initial=len(kept)),
        "register_entries": inline_formset(
            [
                {
                    "id": str(row.pk or ""),
                    "change_number": row.change_number,
                    "section_clause": row.section_clause,
                    "change_type": row.change_type,
                    "notice_number": row.notice_number,
                    "notice_date": day(row.notice_date),
                    "entered_date": day(row.entered_date),
                    "entered_by": row.entered_by,
                    "entered_position": row.entered_position,
                }
                for row in [*recorded, *rows]
            ],
            initial=len(recorded),
        ),
        "comments": inline_formset([]),
        "body": streamfield(
            [
                (
                    "section",
                    {
                        "number": "7",
                        "title": "Эдвайзерлік жұмысты ұйымдастыру",
                        "content": streamfield(
                            [
                                (
                                    "clause",
                                    {
                                        "number": "7.2",
                                        "title": "",
                                        "text": text,
                                        "items": "\n".join(items),
                                    },
                                )
                            ]
                        ),
                    },
                )
            ]
        ),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data = nested_form_data(fields)
    data[action] = action
    return data


def submit_in_admin(client, page, user, **edit):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    return client.post(url, edit_data(page, **edit), HTTP_ACCEPT_LANGUAGE="kk")


def action_url(page, action: str) -> str:
    state = fresh(page).current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))


def agree_in_admin(client, page, user, comment=None):
    """The dashboard's "Agree (КЕЛІСІЛДІ)" (a plain POST back to the dashboard), or "Agree
    with comment" (the dialog) when a comment is given; returns the page shown after."""
    client.force_login(user)
    if comment is None:
        response = client.post(action_url(page, "approve"), {"next": "/admin/"}, follow=True)
        return html.unescape(response.content.decode())
    response = client.post(
        action_url(page, AGREE_WITH_COMMENT),
        {"comment": comment, "next": "/admin/"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.json()["step"] == "success"
    return html.unescape(client.get(response.json()["redirect"]).content.decode())


def approve_in_dialog(client, page, user, **order):
    """The approval dialog: its form posted the way the dialog posts it."""
    client.force_login(user)
    data = {"order_number": "", "order_date": "", "approver_name": "", "comment": "", **order}
    return client.post(action_url(page, "approve"), data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def dashboard(client, user) -> str:
    client.force_login(user)
    return html.unescape(client.get("/admin/").content.decode())


def workflow_state(page):
    return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()


# --- 1. a change without its register row is refused at submission --------------------------


def test_submitting_a_change_without_register_row_is_refused_with_the_reason(
    in_force, users, client
):
    response = submit_in_admin(
        client, in_force, users["quality"], text="Эдвайзер жыл сайын жасайды:"
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Бұл басылым күшінде: өзгерісті тек Өзгерістерді тіркеу парағындағы жолымен" in page
    assert page.count("Бұл басылым күшінде") == 1  # in the banner, the register panel is empty
    # It says it was not sent, and that nothing typed is lost (Wagtail's banner alone said the
    # page could not be saved: a tester then found it saved; then it said "Saved" at the top
    # while the top said "Saving…").
    assert (
        "Келісу мен бекітуге жіберілмеді: төмендегіні түзетіп (қарайтын қойындылар "
        "белгіленген), қайта жіберіңіз. Терген өзгерістеріңіз редакторда тұр."
    ) in page
    # The Register panel, where the row is added, says so: its tab is marked (a tester
    # looked for what to correct on a tab nothing marked).
    note = kk(
        "Add this change's row here: change number, section and clause, kind of change, "
        "date introduced, surname and name."
    )
    in_register_panel = re.compile(
        r'id="id_register_entries-MAX_NUM_FORMS">\s*<div class="error-message">\s*<span>'
        + re.escape(note)
    )
    assert in_register_panel.search(page) and page.count(note) == 1
    # The notice and its date are the approval's to write: the row needs neither.
    assert "тегі, аты-жөні (хабарламасы мен оның күнін бекіту өзі жазады)" in page
    assert workflow_state(in_force) is None
    assert not fresh(in_force).workflow_in_progress
    assert clause_texts(draft_of(in_force))["7.2"] == "Тағайындалған эдвайзер жасайды:"


def test_a_register_row_with_an_empty_field_is_corrected_in_its_panel_not_called_missing(
    in_force, users, client
):
    """A tester added the change's row, left its kind of change empty and submitted: the
    register's refusal showed twice, "Add the row" in the banner over the row the Register
    panel showed, its empty field marked there. Now the banner says only that it was not
    sent; the panel says what to correct in the row."""
    response = submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1", change_type="")],
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    banner = page[page.index('<div class="messages"') : page.index("data-w-count-find-value")]
    assert "Келісу мен бекітуге жіберілмеді: төмендегіні түзетіп (қарайтын" in banner
    assert "Бұл басылым күшінде" not in page  # said nowhere: the row is there
    # the row's empty field, marked in the Register panel
    marked = re.compile(
        r'-0-child-panel-child-change_type-errors">\s*<svg[^>]*>.*?</svg>'
        r'\s*<p class="error-message">\s*' + re.escape(kk("This field is required.")),
        re.S,
    )
    assert marked.search(page)
    assert workflow_state(in_force) is None


def test_submitting_a_change_with_its_register_row_starts_the_agreement(in_force, users, client):
    response = submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1", notice_number="", notice_date=None)],
    )
    assert response.status_code == 302
    page = fresh(in_force)
    assert page.current_workflow_task.name == AGREEMENT
    assert clause_texts(draft_of(page))["7.2"] == "Эдвайзер жыл сайын жасайды:"


# --- 2. agreement goes to the linked accounts, in rounds -------------------------------------


def test_submission_nobody_can_agree_is_refused_with_the_reason(in_force, users, client):
    lines = [{"position": "Заңгер", "person": "Л.Б. Алиманова", "date": "2016-06-23", "user": ""}]
    response = submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
        lines=lines,
    )
    assert response.status_code == 200
    assert kk(
        "Nobody can agree this draft: no line of the agreed-by list (КЕЛІСІЛДІ) is linked "
        "to an account. On the Approval sheet tab, choose the account that agrees in the "
        "workflow for each agreer, then submit again."
    ) in html.unescape(response.content.decode())
    # The agreed-by list's panel says so too, which marks its tab.
    assert re.search(
        r'id="id_agreed_by-MAX_NUM_FORMS">\s*<div class="error-message">\s*<span>'
        + re.escape(kk("Correct this list as said at the top of the page.")),
        html.unescape(response.content.decode()),
    )
    assert workflow_state(in_force) is None


def test_submission_naming_an_account_that_cannot_act_is_refused(in_force, users):
    users["agreer2"].is_active = False
    users["agreer2"].save()
    draft = draft_of(in_force)
    problems = workflow_submission_problems(
        document=in_force,
        workflow=in_force.get_workflow(),
        key="1",
        edition_number=1,
        change_numbers=["1"],
        agreers=[line.user for line in draft.agreed_by.all()],
    )
    assert len(problems) == 1 and "agreer2" in problems[0]


def test_agreers_of_dated_lines_get_the_change_and_the_round_moves_to_approval(
    in_force, users, client
):
    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
    )
    assert TITLE in dashboard(client, users["agreer1"])  # awaiting their review
    assert TITLE in dashboard(client, users["agreer2"])
    assert TITLE not in dashboard(client, users["staff"])

    agree_in_admin(client, in_force, users["agreer1"])
    assert fresh(in_force).current_workflow_task.name == AGREEMENT
    assert TITLE not in dashboard(client, users["agreer1"])  # agreed once, nothing more to do
    agree_in_admin(client, in_force, users["agreer2"], comment="Келісемін")

    page = fresh(in_force)
    assert page.current_workflow_task.name == APPROVAL
    assert list(AgreementRecord.objects.values_list("user__username", "comment")) == [
        ("agreer1", ""),
        ("agreer2", "Келісемін"),
    ]
    # a change inside the edition keeps the edition's approval sheet as it was
    dates = [line.date for line in draft_of(page).agreed_by.all()]
    assert dates == [
        datetime.date(2016, 7, 5),
        datetime.date(2016, 7, 4),
        datetime.date(2016, 6, 23),
    ]


def test_every_change_starts_a_fresh_round(in_force, users, client):
    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
    )
    agree_in_admin(client, in_force, users["agreer1"])
    agree_in_admin(client, in_force, users["agreer2"])
    approve_in_dialog(
        client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
    )
    assert fresh(in_force).live_revision.as_object().register_entries.count() == 1

    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын екі рет жасайды:",
        rows=[register_row("2", section_clause="7.3")],
    )
    page = fresh(in_force)
    assert page.current_workflow_task.name == AGREEMENT
    assert TITLE in dashboard(client, users["agreer1"])
    agree_in_admin(client, page, users["agreer1"])
    assert fresh(page).current_workflow_task.name == AGREEMENT  # agreer2 must agree again
    agree_in_admin(client, page, users["agreer2"])
    assert fresh(page).current_workflow_task.name == APPROVAL
    rounds = AgreementRecord.objects.values_list("task_state_id", flat=True)
    assert len(set(rounds)) == 2 and len(rounds) == 4  # the first round stays on record


def test_a_new_row_numbered_as_a_recorded_change_is_refused_for_its_number(in_force, users, client):
    """A tester added the row "2 / 8.1" where change 2 was recorded: "Add the row", said the
    page, over the row they had added. It says the number is taken, and which is next."""
    agreed_change(client, in_force, users)
    approve_in_dialog(
        client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
    )
    response = submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын екі рет жасайды:",
        rows=[register_row("1", section_clause="8.1")],
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "Өзгерістерді тіркеу парағында 1 нөмірлі өзгеріс бар: жаңа өзгерістің жолына өз нөмірі "
        "беріледі (келесісі — 2)."
    ) in page
    assert kk("Give the new change's row a number of its own.") in page
    assert "Жолды қосыңыз" not in page
    assert workflow_state(in_force).status != WorkflowState.STATUS_IN_PROGRESS


def test_new_edition_gets_its_agreement_dates_when_the_round_is_complete(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    lines = {line.person: line.date for line in draft_of(draft).agreed_by.all()}
    assert lines["Р.Искаков"] is None  # written once every agreer has agreed
    agree_in_admin(client, draft, users["agreer2"])
    lines = {line.person: line.date for line in draft_of(draft).agreed_by.all()}
    assert lines == {
        "Р.Искаков": timezone.localdate(),
        "Б.Мықтыбаев": timezone.localdate(),
        "Л.Б. Алиманова": datetime.date(2016, 6, 23),
    }
    assert fresh(draft).current_workflow_task.name == APPROVAL


def test_request_changes_returns_the_draft_to_its_author(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    client.force_login(users["agreer2"])
    response = client.post(
        action_url(draft, "reject"),
        {"comment": "3.1.5 тармағын нақтылаңыз"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.json()["step"] == "success"
    state = workflow_state(draft)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.requested_by == users["quality"]
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.get_comment() == "3.1.5 тармағын нақтылаңыз"
    assert rejected.finished_by == users["agreer2"]
    assert not fresh(draft).live
    # The author opens the draft and reads who asked for what (the editor said nothing).
    client.force_login(users["quality"])
    page = html.unescape(
        client.get(
            reverse("wagtailadmin_pages:edit", args=(draft.pk,)), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
    )
    who = users["agreer2"].get_full_name() or users["agreer2"].get_username()
    assert (
        f"{who} запросил(а) изменения на этапе «Келісу (КЕЛІСІЛДІ)»: «3.1.5 тармағын "
        "нақтылаңыз». Исправьте проект и отправьте его снова."
    ) in page


def test_only_pending_agreers_can_act(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    client.force_login(users["staff"])
    url = action_url(draft, "approve")
    assert client.post(url, {"comment": ""}).status_code in (302, 403)
    client.force_login(users["quality"])  # the approver, not an agreer
    assert client.post(url, {"comment": ""}).status_code in (302, 403)
    assert not AgreementRecord.objects.exists()
    assert fresh(draft).current_workflow_task.name == AGREEMENT


def test_an_agreer_cannot_cancel_the_agreement_and_approval(draft, users, client):
    """Wagtail lets whoever may take a step cancel the workflow: an agreer could withdraw the
    draft from everyone's agreement. They agree, or ask for changes saying why."""
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    edit = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    client.force_login(users["agreer1"])
    editor = client.get(edit, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'data-workflow-action-name="approve"' in editor, "the agreer acts from the editor"
    assert 'name="action-cancel-workflow"' not in editor
    data = edit_data(draft, text="Тағайындалған эдвайзер жасайды:", action="action-cancel-workflow")
    refused = client.post(edit, data, HTTP_ACCEPT_LANGUAGE="kk", follow=True)
    assert refused.redirect_chain == [(edit, 302)]
    assert kk(
        "Only whoever submitted the draft, or the quality office, may cancel its agreement and "
        "approval. Ask for changes instead, saying why."
    ) in html.unescape(refused.content.decode())
    assert workflow_state(draft).status == WorkflowState.STATUS_IN_PROGRESS
    # Whoever submitted it still may.
    client.force_login(users["quality"])
    assert 'name="action-cancel-workflow"' in client.get(edit).content.decode()
    client.post(edit, data)
    assert workflow_state(draft).status == WorkflowState.STATUS_CANCELLED


def test_an_agreer_acts_on_the_draft_as_submitted_and_cannot_save_it(draft, users, client):
    """Wagtail lets whoever may act on a step save the draft too ("Save draft", and its
    autosave as they type): an agreer could rewrite the text they were asked to agree. The
    editor tells them the text is not changed there, offers no saving, refuses a save, and
    an agreement given from the editor leaves what they typed unsaved."""
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    revisions = draft.revisions.count()
    edit = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    client.force_login(users["agreer1"])
    editor = html.unescape(client.get(edit, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    assert 'data-workflow-action-name="approve"' in editor
    assert kk("Save draft") not in editor
    assert "data-w-autosave-interval-value" not in editor  # nothing typed is saved on its own
    assert (
        kk(
            "You are asked to act on this draft: its text is not changed here. "
            "To have something changed, choose “Request changes” and say what."
        )
        in editor
    )
    client.force_login(users["quality"])  # the draft's author still saves it, as before
    authors = html.unescape(client.get(edit, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    assert kk("Save draft") in authors and "data-w-autosave-interval-value" in authors
    client.force_login(users["agreer1"])

    rewritten = edit_data(draft, text="Эдвайзерді келісуші өзі жазды", action="action-save")
    refused = client.post(edit, rewritten, HTTP_ACCEPT_LANGUAGE="kk", follow=True)
    assert refused.redirect_chain == [(edit, 302)]
    assert kk(
        "The draft was not saved: you are asked to act on it, not to change it. "
        "To have something changed, choose “Request changes” and say what."
    ) in html.unescape(refused.content.decode())
    autosaved = client.post(
        edit, rewritten, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="kk"
    )
    assert autosaved.status_code == 400 and autosaved.json()["success"] is False

    agreeing = edit_data(
        draft, text="Эдвайзерді келісуші өзі жазды", action="action-workflow-action"
    )
    agreeing["workflow-action-name"] = "approve"
    agreed_page = client.post(edit, agreeing, HTTP_ACCEPT_LANGUAGE="kk", follow=True)
    assert kk(
        "You agreed «%(title)s». Still to agree: %(people)s.", title=TITLE, people="Б.Мықтыбаев"
    ) in html.unescape(agreed_page.content.decode())
    assert AgreementRecord.objects.filter(user=users["agreer1"]).count() == 1
    assert fresh(draft).revisions.count() == revisions
    assert clause_texts(draft_of(fresh(draft)))["7.2"] == "Тағайындалған эдвайзер жасайды:"


# --- 3. what the agreers see -----------------------------------------------------------------


def test_agreer_can_compare_the_change_with_the_live_version(in_force, users, client):
    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
    )
    revision = fresh(in_force).current_workflow_task_state.revision
    url = reverse("wagtailadmin_pages:revisions_compare", args=(in_force.pk, "live", revision.pk))
    client.force_login(users["agreer1"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Эдвайзер жыл сайын жасайды:" in html.unescape(response.content.decode())
    assert url in dashboard(client, users["agreer1"])  # "Compare with live version"

    client.force_login(users["staff"])
    assert client.get(url).status_code in (302, 403)


def test_the_comparison_shows_the_changed_section_and_names_the_others(
    kaznrtu_library, users, client
):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    section = {"type": "section", "value": {**page.body.raw_data[0]["value"]}}
    other = {
        "type": "section",
        "value": {
            "number": "8",
            "title": "Есеп беру",
            "content": [
                {
                    "type": "clause",
                    "value": {"number": "8.1", "title": "", "text": "Жылына бір рет."},
                }
            ],
        },
    }
    page.body = [section, other, {**other, "value": {**other["value"], "number": "9"}}]
    save_and_publish(page, users["quality"])
    draft = draft_of(page)
    raw = draft.body.raw_data
    raw[0]["value"]["content"][0]["value"]["text"] = "Эдвайзер жыл сайын жасайды:"
    draft.body = raw
    revision = draft.save_revision(user=users["quality"])
    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", revision.pk))
    client.force_login(users["quality"])
    page_html = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_html))
    assert "жыл сайын" in shown and "Тағайындалған" in shown, "what changed, marked"
    assert "Жылына бір рет." not in shown, "the sections left as they were are not shown whole"
    with translation.override("kk"):
        others = ngettext(
            "Section left as it was: %(numbers)s", "Sections left as they were: %(numbers)s", 2
        )
    assert others % {"numbers": "8, 9"} in shown


def test_agreeing_says_what_happened(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    shown = agree_in_admin(client, draft, users["agreer1"])
    assert (
        kk("You agreed «%(title)s». Still to agree: %(people)s.", title=TITLE, people="Б.Мықтыбаев")
        in shown
    )
    shown = agree_in_admin(client, draft, users["agreer2"], comment="Келісемін")
    assert (
        kk("You agreed «%(title)s». Everyone has agreed; it goes on to approval.", title=TITLE)
        in shown
    )


def test_agreeing_with_an_empty_comment_or_asking_for_nothing_is_refused_in_the_dialog(
    draft, users, client
):
    """ "Agree with comment" and "Request changes" send a comment: left empty, the dialog says
    so at its field and nothing is agreed or sent back (both were done without a word)."""
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    client.force_login(users["agreer1"])
    for action in (AGREE_WITH_COMMENT, "reject"):
        response = client.post(
            action_url(draft, action),
            {"comment": "  ", "next": "/admin/"},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        answer = response.json()
        assert answer["step"] != "success", action
        assert kk("Write your comment: it is what this action sends.") in html.unescape(
            answer["html"]
        )
    assert not AgreementRecord.objects.exists()
    state = fresh(draft).current_workflow_task_state
    assert state is not None and state.status == "in_progress"
    shown = dashboard(client, users["agreer1"])
    assert (
        kk("You agreed «%(title)s». Still to agree: %(people)s.", title=TITLE, people="Б.Мықтыбаев")
        not in shown
    )
    assert TITLE in shown  # still awaiting their review
    agree_in_admin(client, draft, users["agreer1"], comment="Келісемін, 3.1 тармағы түзетілсін")
    assert AgreementRecord.objects.get().comment == "Келісемін, 3.1 тармағы түзетілсін"


def test_the_submitter_stays_the_submitter(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    shown = dashboard(client, users["agreer2"])
    assert TITLE in shown
    assert users["quality"].first_name in shown  # "Task submitted by"
    assert users["agreer1"].first_name not in shown
    agree_in_admin(client, draft, users["agreer2"])
    shown = dashboard(client, users["quality"])  # awaiting approval
    assert users["quality"].first_name in shown
    assert users["agreer2"].first_name not in shown


# --- 4. the approval dialog --------------------------------------------------------------------


def test_approval_refused_without_register_row_answers_the_dialog(in_force, users, client):
    # submitted past the admin's check (as any other caller of the workflow could)
    draft = draft_of(in_force)
    draft.title = "Білім алушыларға академиялық қолдау"
    lines = list(draft.agreed_by.all())
    for line in lines[:2]:
        line.date = None  # (so that this test also reaches approval on the code before rounds)
    draft.agreed_by = lines
    draft.save_revision(user=users["quality"])
    in_force.get_workflow().start(fresh(in_force), users["quality"])
    agree_in_admin(client, in_force, users["agreer1"])
    agree_in_admin(client, in_force, users["agreer2"])

    response = approve_in_dialog(
        client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["step"] == "action"  # the dialog stays open, with the reason
    assert "Бұл басылым күшінде: өзгерісті тек" in html.unescape(answer["html"])
    page = fresh(in_force)
    assert page.current_workflow_task.name == APPROVAL
    assert page.title == TITLE
    assert draft_of(page).approval_order_number == "254-Б"


def test_approval_from_the_editor_refused_shows_the_reason(in_force, users, client):
    draft = draft_of(in_force)
    lines = list(draft.agreed_by.all())
    for line in lines[:2]:
        line.date = None  # (so that this test also reaches approval on the code before rounds)
    draft.agreed_by = lines
    draft.save_revision(user=users["quality"])
    in_force.get_workflow().start(fresh(in_force), users["quality"])
    agree_in_admin(client, in_force, users["agreer1"])
    agree_in_admin(client, in_force, users["agreer2"])

    data = edit_data(in_force, text="Эдвайзер жыл сайын жасайды:", action="action-workflow-action")
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps(
        {"order_number": "45-Б", "order_date": "2017-09-12", "approver_name": "", "comment": ""}
    )
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(in_force.pk,))
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    assert "Бұл басылым күшінде: өзгерісті тек" in html.unescape(response.content.decode())
    page = fresh(in_force)
    assert page.current_workflow_task.name == APPROVAL
    assert clause_texts(page)["7.2"] == "Тағайындалған эдвайзер жасайды:"
    assert clause_texts(draft_of(page))["7.2"] == "Тағайындалған эдвайзер жасайды:"


def test_approval_needs_an_order_number(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    answer = approve_in_dialog(client, draft, users["quality"], order_date="2016-07-08").json()
    assert answer["step"] == "action"
    assert fresh(draft).current_workflow_task.name == APPROVAL
    assert not fresh(draft).live


def agreed_change(client, page, users) -> None:
    """Change 1 of 7.2 submitted by the quality office and agreed by both agreers: what waits
    for the approval."""
    submit_in_admin(
        client,
        page,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1", notice_number="", notice_date=None)],
    )
    agree_in_admin(client, page, users["agreer1"])
    agree_in_admin(client, page, users["agreer2"])


def test_approval_of_a_change_publishes_and_closes_the_dialog(in_force, users, client):
    agreed_change(client, in_force, users)
    response = approve_in_dialog(
        client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["step"] == "success"
    assert answer["redirect"]
    shown = html.unescape(client.get(answer["redirect"]).content.decode())
    assert kk("«%(title)s» is approved and published.", title=TITLE) in shown

    page = fresh(in_force)
    assert page.live and not page.has_unpublished_changes
    assert clause_texts(page)["7.2"] == "Эдвайзер жыл сайын жасайды:"
    # 5. the edition's approval stays the edition's; the order is the change's notice
    assert (page.approval_order_number, page.approval_order_date) == (
        "254-Б",
        datetime.date(2016, 7, 8),
    )
    assert page.editions.get().approval_order_number == "254-Б"
    change = RegisterChange.objects.get(edition__document=page)
    assert (change.notice_number, change.notice_date) == ("45-Б", datetime.date(2017, 9, 12))
    row = page.register_entries.get()
    assert (row.notice_number, row.notice_date) == ("45-Б", datetime.date(2017, 9, 12))


def act(page, user, action, **data):
    """A task's action called directly, as Wagtail's views call it."""
    page = fresh(page)
    state = page.current_workflow_task_state
    state.task.specific.on_action(state.specific, user, action, **data)
    return fresh(page)


def test_a_changes_order_goes_on_its_register_row_not_on_the_edition(in_force, users):
    draft = draft_of(in_force)
    draft.title = "Білім алушыларға академиялық қолдау"
    draft.register_entries = [register_row("1", notice_number="", notice_date=None)]
    lines = list(draft.agreed_by.all())
    for line in lines[:2]:
        line.date = None  # (so that this test also reaches approval on the code before rounds)
    draft.agreed_by = lines
    draft.save_revision(user=users["quality"])
    in_force.get_workflow().start(fresh(in_force), users["quality"])
    page = act(in_force, users["agreer1"], "approve")
    page = act(page, users["agreer2"], "approve")
    page = act(page, users["quality"], "approve", order_number="45-Б", order_date="2017-09-12")

    assert page.live and page.title == "Білім алушыларға академиялық қолдау"
    assert (page.approval_order_number, page.approval_order_date) == (
        "254-Б",
        datetime.date(2016, 7, 8),
    )
    change = RegisterChange.objects.get(edition__document=page)
    assert (change.notice_number, change.notice_date) == ("45-Б", datetime.date(2017, 9, 12))


# --- 5 (new edition). the order of a new edition is the edition's ----------------------------


def test_approval_of_a_new_edition_records_its_order_and_publishes(draft, users, client):
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    answer = approve_in_dialog(
        client,
        draft,
        users["quality"],
        order_number="254-Б",
        order_date="2016-07-08",
        approver_name="Ректор",
    ).json()
    assert answer["step"] == "success"
    page = fresh(draft)
    assert page.live
    assert page.approval_order_number == "254-Б"
    assert page.approval_order_date == datetime.date(2016, 7, 8)
    assert page.approver_name == "Ректор"
    edition = page.editions.get()
    assert edition.status == EditionStatus.IN_FORCE
    assert edition.approval_order_number == "254-Б"
    assert all(line.date for line in page.agreed_by.all())


def test_an_edition_that_states_no_day_is_in_force_from_its_approval(draft, users, client):
    """A tester read edition 1 "in force until" the day of approval and the new edition "in
    force from: not stated in the document": the approval by order here put it in force."""
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    approve_in_dialog(
        client, draft, users["quality"], order_number="254-Б", order_date="2016-07-08"
    )
    page = fresh(draft)
    assert page.effective_date is None  # the document itself states no day
    client.logout()
    listed = html.unescape(
        visit(client, page, "editions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    row = listed[listed.index("<tbody>") :]
    row = row[: row.index("</tr>")]
    assert format_date(timezone.localdate(), language="en") in row
    assert "not stated in the document" not in row


def test_publication_waits_for_the_effective_date(draft, users, client):
    effective = timezone.localdate() + datetime.timedelta(days=10)
    page = draft_of(draft)
    page.effective_date = effective
    page.save_revision(user=users["quality"])
    page.get_workflow().start(fresh(draft), users["quality"])
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    answer = approve_in_dialog(
        client, draft, users["quality"], order_number="12-Б", order_date=timezone.localdate()
    ).json()
    assert answer["step"] == "success"
    page = fresh(draft)
    assert not page.live
    assert page.editions.count() == 0
    scheduled = page.get_latest_revision()
    assert timezone.localtime(scheduled.approved_go_live_at).date() == effective
    # The approver is told the day it goes live, in the site's time zone (they were told the
    # day before: the go-live moment, local midnight, is the evening before in UTC).
    told = html.unescape(client.get("/admin/").content.decode())
    said = re.search(r"\d\d\.\d\d\.\d{4}", told[told.index('class="messages"') :])
    assert said and said.group(0) == f"{effective:%d.%m.%Y}"

    call_command("publish_scheduled")
    assert not fresh(page).live

    with time_machine.travel(scheduled.approved_go_live_at + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
        page = fresh(page)
        assert page.live
        assert page.editions.get().effective_from == effective


# --- the demo ----------------------------------------------------------------------------------


def test_demo_agreers_can_agree_a_change_to_715(demo_content, client):
    from home.demo import load_demo

    load_demo()  # safe to run twice
    users = demo_content["users"]
    procedure, instruction = (fresh(document) for document in demo_content["documents"])
    for document in (procedure, instruction):
        for lines in (draft_of(document).agreed_by.all(), document.agreed_by.all()):
            linked = [line.user.username for line in lines if line.user_id]
            assert linked == ["agreer1", "agreer2"], document

    order = (procedure.approval_order_number, procedure.approval_order_date)
    draft = draft_of(procedure)
    draft.title = f"{draft.title} (өзгеріс)"
    # a new change: its row has no notice yet (the approval's order becomes it)
    new_row = register_row("100", notice_number="", notice_date=None)
    draft.register_entries = [*draft.register_entries.all(), new_row]
    draft.save_revision(user=users["quality"])
    assert (
        workflow_submission_problems(
            document=procedure,
            workflow=procedure.get_workflow(),
            key=draft.edition_key,
            edition_number=draft.edition_number,
            change_numbers=[row.change_number for row in draft.register_entries.all()],
            agreers=[line.user for line in draft.agreed_by.all()],
        )
        == []
    )
    procedure.get_workflow().start(fresh(procedure), users["quality"])
    seen = dashboard(client, users["agreer1"])
    assert draft.title in seen
    # named by its code too (a tester's agreer read the title alone)
    assert f'<span class="document-code" translate="no">{procedure.code}</span>' in seen
    agree_in_admin(client, procedure, users["agreer1"])
    agree_in_admin(client, procedure, users["agreer2"])
    answer = approve_in_dialog(
        client, procedure, users["quality"], order_number="45-Б", order_date="2025-09-12"
    ).json()
    assert answer["step"] == "success"
    page = fresh(procedure)
    assert page.live and page.title == draft.title
    assert (page.approval_order_number, page.approval_order_date) == order
    assert (
        RegisterChange.objects.get(edition__document=page, change_number="100").notice_number
        == "45-Б"
    )


def test_a_document_its_workflow_governs_goes_into_force_only_by_its_approval(
    in_force, users, client
):
    """A tester published a change from the editor ("Publishing will cancel the workflow"):
    a text nobody agreed was in force, with no order, no notice and no official copy. The
    editor offers no "Publish" for such a document, and a publish posted anyway is refused
    with the reason, the draft kept and the text in force unchanged."""
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(in_force.pk,))
    editor = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    assert 'name="action-submit"' in editor  # Submit to agreement and approval
    assert 'name="action-publish"' not in editor
    in_force_text = clause_texts(fresh(in_force))["7.2"]
    response = client.post(
        url,
        edit_data(
            in_force,
            text="Ешкім келіспеген мәтін.",
            rows=[register_row("1", notice_number="", notice_date=None)],
            action="action-publish",
        ),
        HTTP_ACCEPT_LANGUAGE="kk",
        follow=True,
    )
    shown = html.unescape(response.content.decode())
    assert "бекітілгенде күшіне енеді" in shown
    page = fresh(in_force)
    assert clause_texts(page)["7.2"] == in_force_text != "Ешкім келіспеген мәтін."
    assert clause_texts(draft_of(page))["7.2"] == "Ешкім келіспеген мәтін."
    # Submitted as the editor offers it, the same draft goes to agreement.
    response = submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Ешкім келіспеген мәтін.",
        rows=[register_row("1", notice_number="", notice_date=None)],
    )
    assert fresh(in_force).current_workflow_task.name == AGREEMENT


def test_approval_refuses_an_order_dated_after_today(in_force, users, client):
    """A tester approved a change by an order of next March: the notice said the change was
    in force from today, approved by an order not yet signed."""
    agreed_change(client, in_force, users)
    later = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = approve_in_dialog(
        client, in_force, users["quality"], order_number="512-Б", order_date=later
    ).json()
    assert answer["step"] == "action"
    assert "Бұйрық күні бүгіннен кейін" in html.unescape(answer["html"])
    assert "Өзгерістің хабарламасы оны өзгерістің себебі" in html.unescape(answer["html"])
    assert fresh(in_force).current_workflow_task.name == APPROVAL


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("kk", "беті келісу мен бекітуге жіберілді"),
        ("ru", "отправлена на согласование и утверждение"),
    ],
)
def test_submitting_says_the_draft_went_to_agreement_and_approval(
    in_force, users, client, language, told
):
    """Wagtail's word, "moderation" (модерацияға, на модерацию), said nothing to a quality
    office whose one workflow is agreement and approval."""
    client.force_login(users["quality"])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(in_force.pk,)),
        edit_data(
            in_force,
            text="Эдвайзер жыл сайын жасайды:",
            rows=[register_row("1", notice_number="", notice_date=None)],
        ),
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    shown = html.unescape(response.content.decode())
    assert told in shown
    assert "модерац" not in shown.lower()


def test_the_register_rows_notice_says_the_approval_writes_its_order_there(in_force, users, client):
    """The approval writes a change's order over the notice typed in its row: a tester's "7"
    became "512-Б" without a word. The editor says so at the field."""
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(in_force.pk,))
    editor = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    assert "Жаңа өзгеріс үшін мұнда оны бекіткен бұйрық жазылады." in editor


def test_the_agreers_are_emailed_when_a_round_starts_and_again_in_the_next(
    in_force, users, client, django_capture_on_commit_callbacks
):
    """Only the approval's groups were emailed: agreer1 and agreer2, in the change's
    КЕЛІСІЛДІ list, were never told a draft waited for them (a tester). Each is emailed, in
    their own language, with the draft's address; when changes requested go round again,
    they are emailed again."""
    from django.core import mail
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(users["agreer2"])
    profile.preferred_language = "ru"
    profile.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_in_admin(
            client,
            in_force,
            users["quality"],
            text="Эдвайзер жыл сайын жасайды:",
            rows=[register_row("1", notice_number="", notice_date=None)],
        )
    to_agree = {m.to[0]: m for m in mail.outbox if in_force.title in m.subject}
    assert set(to_agree) == {users["agreer1"].email, users["agreer2"].email}
    kazakh, russian = to_agree[users["agreer1"].email], to_agree[users["agreer2"].email]
    assert kazakh.subject.startswith("Келісуге:") and russian.subject.startswith("На согласование:")
    assert "(КЕЛІСІЛДІ)" in russian.body and "согласования" in russian.body
    assert f"/admin/pages/{in_force.pk}/edit/" in russian.body
    assert f"/admin/pages/{in_force.pk}/revisions/compare/live...latest/" in russian.body

    client.force_login(users["agreer2"])
    client.post(action_url(in_force, "reject"), {"comment": "7.2 нақтылаңыз"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_in_admin(client, in_force, users["quality"], text="Эдвайзер әр жыл сайын жасайды:")
    assert {
        m.to[0] for m in mail.outbox if m.subject.startswith(("Келісуге:", "На согласование:"))
    } == {
        users["agreer1"].email,
        users["agreer2"].email,
    }
