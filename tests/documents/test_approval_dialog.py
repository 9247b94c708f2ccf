"""The approval dialog (Бекіту, БЕКІТІЛДІ) as the quality office fills it in: who signed
the order reaches what the approval shows, a number typed with its "№" is printed once, and
the approval is sent once, by its button, never by the editor's autosave. And the agreement
dialog (КЕЛІСІЛДІ), which says what an agreer puts their name to."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from sapa.documents.models import ApprovalTask, ChangeNotice
from sapa.documents.rendering.notices import notice_html
from sapa.localisation.dates import format_date
from tests.documents import test_workflow
from tests.documents.helpers import clause_texts, draft_of, fresh, visit
from tests.documents.test_workflow import (
    APPROVAL,
    agree_in_admin,
    approve_in_dialog,
    edit_data,
    kk,
)
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db

# the workflow tests' documents: a first edition's draft, and edition 1 in force
draft = test_workflow.draft
in_force = test_workflow.in_force


@pytest.fixture(autouse=True)
def renderings_root(settings, tmp_path):
    settings.SAPA_RENDERINGS_ROOT = tmp_path / "renderings"


def agreed_change(client, page, users, **row) -> None:
    """Change 1 of 7.2 submitted and agreed, its approval sheet's БЕКІТІЛДІ naming the
    rector's position only (as 715's: "Ректордың … бұйрығымен БЕКІТІЛДІ"); ``row``: its
    register row's fields other than the factory's."""
    submitted_change(client, page, users, **row)
    agree_in_admin(client, page, users["agreer1"])
    agree_in_admin(client, page, users["agreer2"])


def submitted_change(client, page, users, **row) -> None:
    """Change 1 of 7.2 submitted for agreement (``agreed_change`` without the agreements)."""
    data = edit_data(
        page,
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1", **{"notice_number": "", "notice_date": None, **row})],
    )
    data["approver_position"] = "Ректор"
    client.force_login(users["quality"])
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert fresh(page).current_workflow_task is not None


def agreed_edition(client, draft, users, *, reads: str = "en", **fields) -> str:
    """The first edition ``draft`` with ``fields`` changed, submitted and agreed by both
    agreers; the approval dialog's text as the quality office opens it, reading ``reads``."""
    page = draft_of(draft)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=users["quality"])
    page.get_workflow().start(fresh(draft), users["quality"])
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    speaks(users["quality"], reads)
    return opened_dialog(client, draft, users["quality"])


def approve_change(client, page, users, capture, **order):
    agreed_change(client, page, users)
    with capture(execute=True):
        answer = approve_in_dialog(client, page, users["quality"], **order).json()
    assert answer["step"] == "success", answer
    return fresh(page)


def test_the_name_given_in_the_dialog_is_printed_on_the_changes_notice(
    in_force, users, client, django_capture_on_commit_callbacks
):
    page = approve_change(
        client,
        in_force,
        users,
        django_capture_on_commit_callbacks,
        order_number="312-Б",
        order_date="2017-09-12",
        approver_name="М.Бегентаев",
    )
    notice = ChangeNotice.objects.get(document=page)
    assert notice.approver == "Ректор М.Бегентаев"
    printed = html.unescape(notice_html(notice))
    assert "№312-Б бұйрықпен, Ректор М.Бегентаев" in printed
    # the edition's approval sheet keeps the edition's own approval (its order of 2016)
    assert (page.approval_order_number, page.approver_name) == ("254-Б", "")


def test_a_name_typed_with_its_position_is_not_given_the_position_twice(
    in_force, users, client, django_capture_on_commit_callbacks
):
    page = approve_change(
        client,
        in_force,
        users,
        django_capture_on_commit_callbacks,
        order_number="312-Б",
        order_date="2017-09-12",
        approver_name="ректор М.Бегентаев",
    )
    assert ChangeNotice.objects.get(document=page).approver == "ректор М.Бегентаев"


def test_a_new_editions_approval_sheet_names_who_signed_its_order(draft, users, client):
    text = "Тағайындалған эдвайзер жасайды:"
    test_workflow.submit_in_admin(client, draft, users["quality"], text=text)
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    answer = approve_in_dialog(
        client,
        draft,
        users["quality"],
        order_number="254-Б",
        order_date="2016-07-08",
        approver_name="М.Бегентаев",
    ).json()
    assert answer["step"] == "success"
    shown = html.unescape(visit(client, fresh(draft)).content.decode())
    assert "М.Бегентаев" in shown.split('id="approval"')[1].split("</section>")[0]


def test_an_order_number_typed_with_its_sign_is_kept_without_it(
    in_force, users, client, django_capture_on_commit_callbacks
):
    page = approve_change(
        client,
        in_force,
        users,
        django_capture_on_commit_callbacks,
        order_number=" №312-Б",
        order_date="2017-09-12",
    )
    notice = ChangeNotice.objects.get(document=page)
    assert notice.order_number == "312-Б"
    assert page.register_entries.get().notice_number == "312-Б"
    printed = html.unescape(notice_html(notice))
    assert "№312-Б бұйрықпен" in printed and "№№" not in printed


def test_the_dialog_says_not_to_type_the_sign_and_refuses_the_sign_alone(in_force, users, client):
    agreed_change(client, in_force, users)
    answer = approve_in_dialog(
        client, in_force, users["quality"], order_number="№", order_date="2017-09-12"
    ).json()
    assert answer["step"] == "action"
    shown = html.unescape(answer["html"])
    assert kk("As the order is numbered, without «№» (Sapa prints it): 312-Б.") in shown
    assert kk("Write the order's number (without «№»).") in shown
    assert fresh(in_force).current_workflow_task is not None


def test_the_editors_autosave_never_takes_the_approval(in_force, users, client):
    """The autosave's request (it asks for JSON) carrying the approval's fields, as the
    editor sent it beside the approval itself: refused, nothing approved or written."""
    agreed_change(client, in_force, users)
    revisions = fresh(in_force).revisions.count()
    data = edit_data(in_force, text="Эдвайзер жыл сайын жасайды:", action="action-workflow-action")
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps(
        {"order_number": "45-Б", "order_date": "2017-09-12", "approver_name": "", "comment": ""}
    )
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(in_force.pk,))
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.json()["success"] is False
    page = fresh(in_force)
    assert page.current_workflow_task.specific_class is ApprovalTask
    assert not TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED, task_id__in=ApprovalTask.objects.values("pk")
    ).exists()
    assert page.revisions.count() == revisions
    assert draft_of(page).register_entries.get().notice_number == ""

    # the approval sent by its button goes through, once
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 302
    assert fresh(in_force).register_entries.get().notice_number == "45-Б"


def test_the_dialogs_fields_have_ids_of_their_own(in_force, users, client):
    """The dialog opens over the page editor, whose approval sheet has an approver_name
    field: the dialog's "Approved by" was the label of that hidden field."""
    agreed_change(client, in_force, users)
    client.force_login(users["quality"])
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(in_force.pk,))).content.decode()
    dialog = approve_in_dialog(client, in_force, users["quality"]).json()["html"]
    editor_ids = set(re.findall(r'\bid="([^"]+)"', editor))
    dialog_ids = set(re.findall(r'\bid="([^"]+)"', dialog))
    assert 'name="approver_name"' in dialog
    assert not (editor_ids & dialog_ids), editor_ids & dialog_ids


def test_an_order_dated_before_the_editions_own_order_is_refused_in_the_dialog(
    in_force, users, client
):
    """A tester approved a change to 715 (its edition approved by order №254-Б of
    08.07.2016) with an order "of 01.01.2016": accepted, published, and printed on the
    change's notice. The dialog stays open and says why; nothing is approved."""
    agreed_change(client, in_force, users)
    answer = approve_in_dialog(
        client, in_force, users["quality"], order_number="312-Б", order_date="2016-01-01"
    ).json()
    assert answer["step"] == "action"
    said = html.unescape(answer["html"])
    assert "Бұйрық күні: бұйрық «08» 07 2016 ж. бұрын жасалған" in said
    assert "(№254-Б)" in said
    page = fresh(in_force)
    assert page.current_workflow_task.name == APPROVAL
    assert not ChangeNotice.objects.filter(document=page).exists()
    # the edition's own date is allowed
    answer = approve_in_dialog(
        client, page, users["quality"], order_number="312-Б", order_date="2016-07-08"
    ).json()
    assert answer["step"] == "success", answer


def speaks(user, language: str) -> None:
    """``user``'s admin is in ``language`` from now on (their profile's choice)."""
    profile = user.wagtail_userprofile
    profile.preferred_language = language
    profile.save()


def opened_dialog(client, page, user, language="en") -> str:
    """The dialog's text as it opens over the editor or the dashboard: the approval's, or the
    agreement's for an agreer ("approve" is both tasks' action)."""
    client.force_login(user)
    answer = client.get(
        test_workflow.action_url(page, "approve"),
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        HTTP_ACCEPT_LANGUAGE=language,
    ).json()
    assert answer["step"] == "action"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer["html"])).split())


def test_the_dialog_names_the_change_it_approves_and_says_it_publishes_at_once(
    in_force, users, client
):
    """A tester: the dialog said "Approve by order", and nothing of which document, or that
    approving publishes it there and then."""
    agreed_change(client, in_force, users)
    speaks(users["quality"], "en")
    said = opened_dialog(client, in_force, users["quality"])
    page = fresh(in_force)
    assert (
        f"You approve change 1 to edition 1 of «{page.code} {page.title}»: the order becomes "
        "the change's notice in the revision register." in said
    )
    assert "Approving publishes it at once: staff see it as soon as you approve." in said


def test_the_dialog_gives_a_new_editions_publication_day_in_the_readers_language(
    draft, users, client
):
    effective = timezone.localdate() + datetime.timedelta(days=10)
    said = agreed_edition(client, draft, users, reads="ru", effective_date=effective)
    page = draft_of(draft)
    assert (
        f"Вы утверждаете издание {page.edition_key} документа «{page.code} {page.title}»: "
        "приказ вносится в его лист утверждения." in said
    )
    assert (
        f"После утверждения он будет опубликован {format_date(effective, language='ru')}, в "
        "дату введения в действие; до того сотрудники видят действующий текст." in said
    )
    assert "«" + f"{effective:%d}» " in said and "сразу" not in said


def test_rows_approved_before_keep_their_notices_and_get_no_new_one(
    in_force, users, client, django_capture_on_commit_callbacks
):
    """A tester imported 715 from Word into the edition in force: its register's three rows
    of 2017-2019, each with its notice, were taken for new changes, renumbered by the new
    order, and one new notice re-issued them all."""
    data = edit_data(
        in_force,
        text="Эдвайзер жыл сайын жасайды:",
        rows=[
            register_row("1", notice_number="17-Б", notice_date=datetime.date(2017, 9, 12)),
            register_row("2", notice_number="", notice_date=None),
        ],
    )
    client.force_login(users["quality"])
    client.post(reverse("wagtailadmin_pages:edit", args=(in_force.pk,)), data)
    agree_in_admin(client, in_force, users["agreer1"])
    agree_in_admin(client, in_force, users["agreer2"])
    speaks(users["quality"], "en")
    said = opened_dialog(client, in_force, users["quality"])
    assert "You approve change 2 to edition 1" in said
    assert (
        "Changes 1 keep the notices their rows carry: they were approved before, and are "
        "recorded as they stand." in said
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        answer = approve_in_dialog(
            client, in_force, users["quality"], order_number="312-Б", order_date=today
        ).json()
    assert answer["step"] == "success", answer
    page = fresh(in_force)
    rows = {row.change_number: row for row in page.register_entries.all()}
    assert (rows["1"].notice_number, rows["1"].notice_date) == ("17-Б", datetime.date(2017, 9, 12))
    assert (rows["2"].notice_number, rows["2"].notice_date) == ("312-Б", today)
    notice = ChangeNotice.objects.get(document=page)
    assert [change.change_number for change in notice.changes.all()] == ["2"]
    register = html.unescape(visit(client, page).content.decode())
    assert "17-Б, 12.09.2017" in register


def test_a_change_introduced_on_a_day_to_come_is_published_that_day(
    in_force, users, client, django_capture_on_commit_callbacks
):
    """A tester's change, its register row saying it is introduced («Өзгеріс енгізілген
    күні») a week later, was published the moment it was approved. The dialog names that
    day; the change waits for it, and staff read the text in force until then."""
    import time_machine
    from django.core.management import call_command

    from sapa.documents.models import RegisterChange

    introduced = timezone.localdate() + datetime.timedelta(days=7)
    agreed_change(client, in_force, users, entered_date=introduced)
    speaks(users["quality"], "en")
    said = opened_dialog(client, in_force, users["quality"])
    assert (
        f"Approving publishes it on {format_date(introduced, language='en')}, the day its row "
        "in the revision register says it is introduced; until then staff see the text in "
        "force." in said
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = approve_in_dialog(
            client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
        ).json()
    assert answer["step"] == "success", answer
    page = fresh(in_force)
    assert clause_texts(page)["7.2"] != "Эдвайзер жыл сайын жасайды:"
    assert not RegisterChange.objects.filter(edition__document=page).exists()
    scheduled = page.get_latest_revision()
    assert timezone.localtime(scheduled.approved_go_live_at).date() == introduced
    # The editor says when, and how to change it meanwhile, not how the server publishes it.
    editor = " ".join(
        html.unescape(
            client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
        ).split()
    )
    assert "Scheduled: a change to the edition in force comes into force on" in editor
    assert "on that day the scheduled text is published by itself" in editor
    assert "manage.py" not in editor

    with time_machine.travel(scheduled.approved_go_live_at + datetime.timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled")
        page = fresh(page)
        assert clause_texts(page)["7.2"] == "Эдвайзер жыл сайын жасайды:"
        change = RegisterChange.objects.get(edition__document=page)
        assert (change.notice_number, change.entered_date) == ("45-Б", introduced)


def test_agreeing_asks_first_saying_what_the_agreer_puts_their_name_to(in_force, users, client):
    """A tester agreed in one click from the dashboard's menu, never told to what: "Agree"
    opens a dialog that names the change, their line and its date, and who is still to
    agree; the last to agree is told that approval comes next."""
    submitted_change(client, in_force, users)
    speaks(users["agreer1"], "en")
    said = opened_dialog(client, in_force, users["agreer1"])
    page = fresh(in_force)
    today = format_date(timezone.localdate(), language="en")
    assert (
        f"You agree to change 1 (7.2) to edition 1 of «{page.code} {page.title}» as "
        "submitted, as «Р.Искаков» (the КЕЛІСІЛДІ line linked to your account): your "
        f"agreement is recorded in the document's history with today's date, {today}; the "
        "approval sheet keeps the edition's dates." in said
    )
    assert "Still to agree after you: Б.Мықтыбаев." in said
    agree_in_admin(client, in_force, users["agreer1"])
    speaks(users["agreer2"], "kk")
    said = opened_dialog(client, in_force, users["agreer2"])
    assert (
        "Мұнда тіркелгісі барлардың ішінде сіз соңғы келісушісіз: содан кейін жоба бекітуге "
        "жіберіледі." in said
    )
    assert "«Б.Мықтыбаев»" in said and "Р.Искаков" not in said


def test_agreeing_to_a_new_edition_says_the_line_on_its_approval_sheet_is_dated_today(
    draft, users, client
):
    page = draft_of(draft)
    page.get_workflow().start(fresh(draft), users["quality"])
    speaks(users["agreer2"], "ru")
    said = opened_dialog(client, draft, users["agreer2"])
    today = format_date(timezone.localdate(), language="ru")
    assert (
        f"Вы согласовываете издание {page.edition_key} документа «{page.code} {page.title}» в "
        "представленном виде: строка КЕЛІСІЛДІ, связанная с вашей учётной записью, "
        f"«Б.Мықтыбаев», датируется в его листе утверждения сегодняшним днём, {today}"
        in said.replace(" ,", ",")  # (КЕЛІСІЛДІ's tag read as a space)
    )
    assert "После вас ещё согласуют: Р.Искаков." in said


def test_the_dialog_warns_of_paper_agreements_without_a_date(draft, users, client):
    """A tester approved an edition whose КЕЛІСІЛДІ line for someone who agrees on paper had
    no date, unwarned: its sheet printed «—». The dialog says so before the approval (which
    it does not stop: a paper sheet may await a hand-written date)."""
    lines = list(draft_of(draft).agreed_by.all())
    lines[2].date = None  # Л.Б. Алиманова, who has no account: agrees on paper
    said = agreed_edition(client, draft, users, agreed_by=lines)
    # (КЕЛІСІЛДІ, the sheet's word, is marked as Kazakh: its tag is read as a space here)
    assert (
        "КЕЛІСІЛДІ : Л.Б. Алиманова, who agree on paper with no account here, have no date on "
        "their lines: the approval sheet prints «—» in its place. If they have signed, enter "
        "the day in the draft first." in said
    )


def test_a_dialog_with_every_line_dated_has_no_such_warning(draft, users, client):
    assert "who agree on paper" not in agreed_edition(client, draft, users)


def test_an_undated_new_edition_is_dated_by_the_order_that_approves_it(draft, users, client):
    """A tester's edition, published without an edition date, printed none: it takes the
    order's date (as 715's edition line «2016 жылғы «08» 07» is its order's, 254-Б of
    08.07.2016), and the dialog says so."""
    assert (
        "The edition has no date of its own: the order's date becomes its date, printed on "
        "its title page." in agreed_edition(client, draft, users, edition_date=None)
    )
    ordered = timezone.localdate() - datetime.timedelta(days=2)
    answer = approve_in_dialog(
        client, draft, users["quality"], order_number="12-Б", order_date=ordered
    ).json()
    assert answer["step"] == "success", answer
    page = fresh(draft)
    assert page.live and page.edition_date == ordered
    assert page.editions.get().edition_date == ordered
    shown = " ".join(html.unescape(visit(client, page).content.decode()).split())
    assert f"{ordered:%Y} жылғы «{ordered:%d}» {ordered:%m} {page.edition_label}" in shown


def test_a_text_changed_after_it_was_agreed_is_not_approved(in_force, users, client):
    """A tester saved words into a clause at the approval step, and the edition was
    published with them beside both agreements' dates: the dialog says the text changed
    after it was agreed, and approving is refused until it is agreed again."""
    agreed_change(client, in_force, users)
    client.force_login(users["quality"])
    data = edit_data(
        fresh(in_force),
        text="Эдвайзер жыл сайын жасайды және бекітеді:",
        rows=[register_row("1", notice_number="", notice_date=None)],
    )
    client.post(reverse("wagtailadmin_pages:edit", args=(in_force.pk,)), data)
    assert clause_texts(draft_of(in_force))["7.2"] == "Эдвайзер жыл сайын жасайды және бекітеді:"
    speaks(users["quality"], "en")
    told = (
        "The text was changed after it was agreed: the agreements are for the text as it "
        "stood. Send the draft for agreement again (cancel the workflow, then submit it)."
    )
    assert told in opened_dialog(client, in_force, users["quality"])
    answer = approve_in_dialog(
        client, in_force, users["quality"], order_number="45-Б", order_date="2017-09-12"
    ).json()
    assert answer["step"] == "action"  # the dialog stays open, with the reason
    assert told in " ".join(html.unescape(answer["html"]).split())
    assert clause_texts(fresh(in_force))["7.2"] != "Эдвайзер жыл сайын жасайды және бекітеді:"


def test_an_agreed_text_saved_again_unchanged_is_approved(in_force, users, client):
    agreed_change(client, in_force, users)
    client.force_login(users["quality"])
    data = edit_data(
        fresh(in_force),
        text="Эдвайзер жыл сайын жасайды:",  # as agreed
        rows=[register_row("1", notice_number="", notice_date=None)],
    )
    client.post(reverse("wagtailadmin_pages:edit", args=(in_force.pk,)), data)
    speaks(users["quality"], "en")
    assert "changed after it was agreed" not in opened_dialog(client, in_force, users["quality"])


def test_the_agreement_dialog_leads_to_what_the_change_changes(in_force, users, client):
    """The helper found no way from the dialog to the changed clause: it links the
    comparison with the text in force, which the agreer may open."""
    submitted_change(client, in_force, users)
    speaks(users["agreer1"], "en")
    client.force_login(users["agreer1"])
    dialog = client.get(
        test_workflow.action_url(in_force, "approve"), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    ).json()["html"]
    link = re.search(r'<a class="agreement-compare" href="([^"]+)"[^>]*>([^<]+)</a>', dialog)
    assert link and link[2] == "What it changes: compare with the text in force"
    compared = html.unescape(client.get(html.unescape(link[1])).content.decode())
    assert "Эдвайзер жыл сайын жасайды" in compared


def test_the_comment_of_an_editions_approval_says_where_it_goes(draft, users, client):
    """A tester approving a new edition read "Comment (for a change: the reason its notice
    prints)" and did not know what to write: the field is a comment, and says what becomes of
    it for a change and for an edition, in the reader's language."""
    said = agreed_edition(client, draft, users, reads="ru")
    assert "для изменения:" not in said
    assert (
        "Извещение об изменении печатает его как причину изменения; для новой редакции его "
        "хранит история документа." in said
    )
