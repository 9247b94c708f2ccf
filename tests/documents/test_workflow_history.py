"""What the quality office reads of a finished round in Wagtail's admin: a completed agreement
reads "Agreed" (Келісілді, Согласовано), the approval "Approved" (Бекітілді, Утверждено), in the
workflow history, its detail (tasks and timeline), the status panel's timeline, the page
history (each agreer once) and the workflow tasks report, on screen and exported. Wagtail's
word for every completed task, "Approved", read БЕКІТІЛДІ in Kazakh at the agreement, as if
the document had been approved before the rector saw it."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import openpyxl
import pytest
import wagtail
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from tests.documents.helpers import fresh
from tests.documents.test_workflow import (
    AGREEMENT,
    APPROVAL,
    agree_in_admin,
    approve_in_dialog,
    draft,  # noqa: F401  (the fixture: a first edition with two agreers)
    submit_in_admin,
    workflow_state,
)

pytestmark = pytest.mark.django_db

BROWSER = {"kk": "kk-KZ,kk;q=0.9", "ru": "ru-RU,ru;q=0.9"}
# (agreement completed, approval completed, agreement completed by, rejected)
READS = {
    "kk": ("Келісілді", "Бекітілді", "{} келісті", "Өзгерістер сұралды"),
    "ru": ("Согласовано", "Утверждено", "Согласовано: {}", "Отклонено"),
}
LOG = {
    "kk": (
        f"'{AGREEMENT}' кезеңінде келісу аяқталды: келісушілер тізіміндегілердің бәрі келісті. "
        f"Келесі қадам: '{APPROVAL}'",
        f"'{APPROVAL}' кезеңінде бекітілді.",
    ),
    "ru": (
        f"Согласование на шаге '{AGREEMENT}' завершено: согласовали все из списка согласующих. "
        f"Следующий шаг '{APPROVAL}'",
        f"Утверждено на шаге {APPROVAL}.",
    ),
}
# The page history: an agreer's own entry, and who an entry of nobody's is shown as.
AGREED_ENTRY = {"kk": "Келісілді", "ru": "Согласовано"}
COMMENT = {"kk": "Түсініктеме: ", "ru": "Комментарий: "}
SYSTEM = {"kk": "жүйе", "ru": "система"}


def read(language: str, user, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=BROWSER[language])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def rows(page: str, section: str) -> list[str]:
    """The text of each row of the detail's tab ``section`` (tasks, timeline)."""
    tab = re.search(rf'<section id="tab-{section}".*?</section>', page, re.S).group(0)
    return [text_of(row) for row in re.findall(r"<tr>.*?</tr>", tab, re.S)]


def cells(page: str) -> list[list[str]]:
    """The text of each cell of the detail's tasks tab, row by row."""
    tab = re.search(r'<section id="tab-tasks".*?</section>', page, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", tab, re.S).group(0)
    return [
        [text_of(cell) for cell in re.findall(r"<td.*?</td>", row, re.S)]
        for row in re.findall(r"<tr>.*?</tr>", body, re.S)
    ]


def completed(client, page, users) -> None:
    submit_in_admin(client, page, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, page, users["agreer1"])
    agree_in_admin(client, page, users["agreer2"])
    answer = approve_in_dialog(
        client, page, users["quality"], order_number="254-Б", order_date="2016-07-08"
    ).json()
    assert answer["step"] == "success"
    assert fresh(page).live


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_workflow_history_tells_agreement_from_approval(language, draft, users, client):  # noqa: F811
    completed(client, draft, users)
    agreed, approved, _agreed_by, _rejected = READS[language]
    quality = users["quality"]

    listing = read(
        language, quality, reverse("wagtailadmin_pages:workflow_history", args=(draft.pk,))
    )
    assert f'data-w-tooltip-content-value="{AGREEMENT}: {agreed}"' in listing
    assert f'data-w-tooltip-content-value="{APPROVAL}: {approved}"' in listing
    assert f"{AGREEMENT}: {approved}" not in listing

    state = workflow_state(draft)
    detail = read(
        language,
        quality,
        reverse("wagtailadmin_pages:workflow_history_detail", args=(draft.pk, state.pk)),
    )
    # The tasks tab: one column per task, the agreement's cell "Agreed by agreer2 at …".
    # The tasks tab: a column per task (agreement, approval), a row per revision acted on.
    agreement_cells, approval_cells = zip(*(row[1:] for row in cells(detail)), strict=True)
    assert [agreed in cell for cell in agreement_cells] == [True, False], agreement_cells
    assert not any(approved in cell for cell in agreement_cells), agreement_cells
    assert [approved in cell for cell in approval_cells] == [False, True], approval_cells
    # Both agreers of the round are named, not only who finished it (a tester missed the
    # first agreer's agreement there).
    finished = agreement_cells[0]
    for agreer in ("agreer1", "agreer2"):
        assert (users[agreer].get_full_name() or users[agreer].get_username()) in finished
    # The timeline: the agreement's row and the approval's row.
    timeline = rows(detail, "timeline")
    (agreement_row,) = [row for row in timeline if AGREEMENT in row]
    (approval_row,) = [row for row in timeline if APPROVAL in row]
    assert agreed in agreement_row and approved not in agreement_row, agreement_row
    assert approved in approval_row and agreed not in approval_row, approval_row
    # The revision the approval made to write its order in reads so, not "Edited" (a tester
    # read it as the text changed after it was agreed), on both tabs.
    written, edited = WRITTEN_IN[language]
    first_cells = [row[0] for row in cells(detail)]
    assert written in first_cells[1] and edited not in first_cells[1], first_cells
    (written_row,) = [row for row in timeline if written in row]
    assert edited not in written_row, timeline
    # There too every agreer is named, each once (a tester read only the second one there).
    for agreer in ("agreer1", "agreer2"):
        who = users[agreer].get_full_name() or users[agreer].get_username()
        assert agreement_row.count(who) == 1, agreement_row

    # The page history: Wagtail's "Approved at 'Келісу'" read as an approval at the agreement.
    history = text_of(read(language, quality, f"/admin/pages/{draft.pk}/history/"))
    at_agreement, at_approval = LOG[language]
    assert at_agreement in history
    assert at_approval in history


def history_rows(language: str, user, page) -> list[tuple[str, str]]:
    """(action with its comment, who) of each entry of the page history, newest first."""
    listing = read(language, user, f"/admin/pages/{page.pk}/history/")
    body = re.search(r"<tbody>.*?</tbody>", listing, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        action, who, _when = (text_of(cell) for cell in re.findall(r"<td.*?</td>", row, re.S))
        rows.append((action, who))
    return rows


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_page_history_names_each_agreer_once_then_the_round_complete(
    language,
    draft,  # noqa: F811
    users,
    client,
):
    """A tester read the last agreer twice in the page history: their "Agreed", then
    "Agreed at 'Келісу'. Next step …" in their name, their comment again under it. Each agreer
    is named once, with their comment; the round's completion follows as the system's (it
    completes because the list is complete), without a comment."""
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"], comment="Келісемін; анықтама ГОСТ-қа сай.")
    name = {who: users[who].get_full_name() or users[who].get_username() for who in users}
    rows = history_rows(language, users["quality"], draft)
    at_agreement, _at_approval = LOG[language]
    completed_round, second, first = rows[:3]
    assert completed_round == (at_agreement, SYSTEM[language]), completed_round
    assert second == (
        f"{AGREED_ENTRY[language]} {COMMENT[language]}Келісемін; анықтама ГОСТ-қа сай.",
        name["agreer2"],
    )
    assert first == (AGREED_ENTRY[language], name["agreer1"])
    for agreer in ("agreer1", "agreer2"):
        assert [who for _action, who in rows].count(name[agreer]) == 1, rows
    assert sum("ГОСТ-қа сай" in action for action, _who in rows) == 1, rows

    # A round completed before, its entry in the last agreer's name with their comment (as
    # Wagtail wrote it): it reads as the round's completion too, its comment not repeated.
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=draft, action="wagtail.workflow.approve")
    entry.user = users["agreer2"]
    entry.data["comment"] = "Келісемін; анықтама ГОСТ-қа сай."
    entry.save()
    completed_round, *_ = history_rows(language, users["quality"], draft)
    assert completed_round == (at_agreement, name["agreer2"]), completed_round


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_status_panel_says_who_agreed_while_the_approval_waits(language, draft, users, client):  # noqa: F811
    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    agree_in_admin(client, draft, users["agreer1"])
    agree_in_admin(client, draft, users["agreer2"])
    assert fresh(draft).current_workflow_task.name == APPROVAL
    agreed, approved, agreed_by, _rejected = READS[language]

    editor = read(language, users["quality"], f"/admin/pages/{draft.pk}/edit/")
    dialog = re.search(r'<ol class="workflow-timeline">.*?</ol>', editor, re.S).group(0)
    items = [text_of(item) for item in re.findall(r"<li.*?</li>", dialog, re.S)]
    (agreement,) = [item for item in items if AGREEMENT in item]
    name = users["agreer2"].get_full_name() or users["agreer2"].get_username()
    assert agreed_by.format(name) in agreement, agreement
    # its icon's label, read by a screen reader: "Agreed", not "Approved"
    assert agreed in agreement.replace(agreed_by.format(name), ""), agreement
    assert approved not in agreement, agreement


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_changes_requested_at_the_agreement_keep_their_wording(language, draft, users, client):  # noqa: F811
    from tests.documents.test_workflow import action_url

    submit_in_admin(client, draft, users["quality"], text="Тағайындалған эдвайзер жасайды:")
    client.force_login(users["agreer1"])
    client.post(
        action_url(draft, "reject"),
        {"comment": "3.1.5 анықтамасын қайта қараңыз."},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    agreed, _approved, _agreed_by, rejected = READS[language]
    state = workflow_state(draft)
    detail = read(
        language,
        users["quality"],
        reverse("wagtailadmin_pages:workflow_history_detail", args=(draft.pk, state.pk)),
    )
    (agreement_row,) = [row for row in rows(detail, "timeline") if AGREEMENT in row]
    assert rejected in agreement_row and agreed not in agreement_row, agreement_row


def workflow_tasks_rows(tasks_screen: str) -> list[str]:
    """The text of each row of the workflow tasks report's table."""
    body = re.search(r"<tbody>.*?</tbody>", tasks_screen, re.S).group(0)
    return [text_of(row) for row in re.findall(r"<tr>.*?</tr>", body, re.S)]


@pytest.mark.parametrize(
    ("language", "browser"),
    [("kk", "kk"), ("ru", "ru"), ("ru", "kk")],
    ids=["kk", "ru", "ru-chosen-in-profile-on-a-kazakh-browser"],
)
def test_the_workflow_tasks_export_says_agreed_as_the_screen_does(
    language,
    browser,
    draft,  # noqa: F811
    users,
    client,
):
    """The workflow tasks report read "Agreed" on screen for a completed agreement, but its
    CSV and XLSX wrote Wagtail's "Approved" (a tester). Both now write what the screen says,
    in the language the person chose."""
    from wagtail.users.models import UserProfile

    completed(client, draft, users)
    agreed, approved, _agreed_by, _rejected = READS[language]
    quality = users["quality"]
    if language != browser:
        profile = UserProfile.get_for_user(quality)
        profile.preferred_language = language
        profile.save()
    reader = Client(HTTP_ACCEPT_LANGUAGE=BROWSER[browser])
    reader.force_login(quality)
    url = reverse("wagtailadmin_reports:workflow_tasks")

    screen = html.unescape(reader.get(url).content.decode())
    (agreement_row,) = [row for row in workflow_tasks_rows(screen) if AGREEMENT in row]
    (approval_row,) = [row for row in workflow_tasks_rows(screen) if APPROVAL in row]
    assert agreed in agreement_row and approved not in agreement_row, agreement_row
    assert approved in approval_row, approval_row
    status = {"kk": "Күйі", "ru": "Статус"}[language]  # Wagtail's column heading

    # Every column headed in the reader's language (four were raw field names), every agreer
    # named as who finished the round, times as the screen shows them (they were UTC).
    headings = EXPORT_HEADINGS[language]
    agreers = ", ".join(users[a].get_full_name() or users[a].get_username() for a in AGREERS)
    finished = {
        state.task.name: timezone.localtime(state.finished_at)
        for state in TaskState.objects.filter(workflow_state__object_id=str(draft.pk))
    }

    response = reader.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    heading, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert heading[4] == status and heading == headings, heading
    assert {row[0]: row[4] for row in rows} == {AGREEMENT: agreed, APPROVAL: approved}, rows
    (agreement,) = [row for row in rows if row[0] == AGREEMENT]
    assert agreement[8] == agreers, agreement
    for row in rows:
        assert row[7] == finished[row[0]].strftime("%Y-%m-%d %H:%M"), row

    response = reader.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading, *rows = sheet.iter_rows(values_only=True)
    assert heading[4] == status and list(heading) == headings, heading
    assert {row[0]: row[4] for row in rows} == {AGREEMENT: agreed, APPROVAL: approved}, rows
    (agreement,) = [row for row in rows if row[0] == AGREEMENT]
    assert agreement[8] == agreers, agreement
    for row in rows:
        assert row[7].strftime("%Y-%m-%d %H:%M") == finished[row[0]].strftime("%Y-%m-%d %H:%M")


AGREERS = ("agreer1", "agreer2")
WRITTEN_IN = {
    "kk": ("Бекіту бұйрығы жазылды", "Өңделді"),
    "ru": ("Вписан приказ об утверждении", "Изменено"),
}
EXPORT_HEADINGS = {
    "kk": [
        "Тапсырма",
        "Бет ID",
        "Бет түрі",
        "Бет атауы",
        "Күйі",
        "Сұраған",
        "Басталған уақыты",
        "Аяқталған уақыты",
        "Аяқтаған",
    ],
    "ru": [
        "Задача",
        "ID страницы",
        "Тип страницы",
        "Заголовок страницы",
        "Статус",
        "Запросил",
        "Начато",
        "Завершено",
        "Кем завершено",
    ],
}


OVERRIDDEN = [
    "wagtailadmin/shared/workflow_history/listing_results.html",
    "wagtailadmin/shared/workflow_history/detail.html",
    "wagtailadmin/workflows/workflow_status.html",
    "wagtailadmin/home/workflow_objects_to_moderate.html",
    "wagtailadmin/reports/workflow_results.html",
    "wagtailadmin/reports/workflow_tasks_results.html",
]


@pytest.mark.parametrize("name", OVERRIDDEN)
def test_the_overridden_wagtail_templates_are_copies_of_the_installed_wagtail(name):
    """Each is Wagtail's template with the agreement's wording; after a Wagtail upgrade, copy
    Wagtail's new one again, make the same change and name the version."""
    copy = (Path(settings.BASE_DIR) / "templates" / name).read_text()
    assert f"Wagtail {wagtail.__version__}'s template" in copy
