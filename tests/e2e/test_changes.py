"""Staff see what a published change of 715 changed: from its register row on the document
page, "what changed" opens the clause with the words taken out and put in marked. The journey
runs in every interface language; the clause's words stay as the document writes them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.demo_site import manage

PROCEDURE = "/kaznrtu/docs/715-kp/"
OLD_WORD = "Тағайындалған"  # the first word of clause 7.2
NEW_WORD = "Бекітілген"

# The quality office's change, published as the workflow's last step publishes it
# (``revision.publish``): clause 7.2 reworded, with its register row.
PUBLISH_CHANGE = f"""
import datetime
from django.contrib.auth import get_user_model
from sapa.documents.models import ControlledDocument, RegisterEntry
page = ControlledDocument.objects.get(url_path__endswith="/kaznrtu/docs/715-kp/").specific
draft = page.get_latest_revision_as_object()
raw = draft.body.raw_data
for section in raw:
    for child in section["value"]["content"]:
        if child["type"] == "clause" and child["value"]["number"].strip(". ") == "7.2":
            child["value"]["text"] = child["value"]["text"].replace("{OLD_WORD}", "{NEW_WORD}", 1)
draft.body = raw
rows = list(draft.register_entries.all())
number = max([int(r.change_number) for r in rows if r.change_number.isdigit()], default=0) + 1
draft.register_entries = [*rows, RegisterEntry(
    change_number=str(number), section_clause="7.2", change_type="modify",
    entered_date=datetime.date.today(), entered_by="Аршабекова Г.")]
quality = get_user_model().objects.get(username="quality")
draft.save_revision(user=quality).publish(user=quality)
print(number)
"""


def test_staff_open_what_a_published_change_changed(people, live_site):
    manage(live_site.var_dir, "shell", "-c", PUBLISH_CHANGE)

    page: Page = people.new_page("staff")
    page.goto(PROCEDURE + "#register")
    row = page.locator("section.register tbody tr").last
    expect(row).to_contain_text("7.2")
    number = row.locator("td").first.inner_text().strip()
    expect(row.locator("a.earlier-text")).to_have_text(
        people.t("Text before change %(number)s", number=number)
    )
    people.shot("staff", "register row of the published change")

    row.get_by_role("link", name=people.t("What change %(number)s amended", number=number)).click()
    expect(page).to_have_url(re.compile(r"/editions/[\w-]+/changes/\d+/diff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        people.t("What change %(number)s amended", number=number)
    )
    expect(page.locator(".doc-meta")).to_contain_text(people.t("Edition %(number)s", number=1))
    change = page.locator(".clause-change", has_text="7.2")
    expect(change).to_have_count(1)
    expect(change.locator("del")).to_have_text(OLD_WORD)
    expect(change.locator("ins")).to_have_text(NEW_WORD)
    expect(page.locator(".clause-change")).to_have_count(1)  # nothing else changed
    expect(change.locator(".change-kind")).to_have_text(people.t("modified"))
    people.shot("staff", "what changed: the words marked in 7.2")


# The same change approved for a day to come: Wagtail schedules its publication.
SCHEDULE_CHANGE = PUBLISH_CHANGE.replace(
    "draft.save_revision(user=quality).publish(user=quality)",
    "from django.utils import timezone\n"
    "draft.go_live_at = timezone.now() + datetime.timedelta(days=5)\n"
    "draft.save_revision(user=quality).publish(user=quality)",
)


def says_of_change(where, people, singular: str, plural: str, changes: str) -> None:
    """``where`` says, in the reader's language, what the message says of one change: the
    words around its day (the day itself is the one the change was scheduled for)."""
    said = people.tn(singular, plural, 1, changes=changes, day="§")
    for part in filter(None, (p.strip(" .,") for p in said.split("§"))):
        expect(where).to_contain_text(part)


def test_staff_read_which_change_comes_into_force_and_when(people, live_site):
    """A tester read "A change to this edition comes into force on «14» December" and not
    which change, nor which clause: the banner names the change and its clause, and the text
    in force stays as it is until that day."""
    number = manage(live_site.var_dir, "shell", "-c", SCHEDULE_CHANGE).strip().splitlines()[-1]
    page: Page = people.new_page("staff")
    page.goto(PROCEDURE)
    says_of_change(
        page.locator(".banner.upcoming"),
        people,
        "Change %(changes)s to this edition comes into force on %(day)s.",
        "Changes %(changes)s to this edition come into force on %(day)s.",
        f"{number} (7.2)",
    )
    expect(page.locator("main")).to_contain_text(OLD_WORD)  # 7.2 as it stands until then
    # The register, which has no row for it yet, says when it gets one.
    coming = page.locator("#register .register-coming")
    says_of_change(
        coming,
        people,
        "Change %(changes)s is entered in this register on %(day)s, when it comes into force.",
        "Changes %(changes)s are entered in this register on %(day)s, when they come into force.",
        f"{number} (7.2)",
    )
    people.shot("staff", "the change to come, named")
    coming.scroll_into_view_if_needed()
    people.shot("staff", "the register says when it gets the change", full_page=False)
