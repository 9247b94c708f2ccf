"""The quality office changes a published procedure in the Wagtail admin: agreement by the
people linked to the КЕЛІСІЛДІ list, approval by the rector's order, publication with its
register row, and the earlier wording kept readable. In each interface language: every
button, tab and message is found as that language shows it (``people.t``), Wagtail's own
("More actions") as well as Sapa's; the document's text and names stay as written."""

from __future__ import annotations

import contextlib
import datetime
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from sapa.localisation.dates import format_date

from .browsing import search

PROCEDURE = "/kaznrtu/docs/715-kp/"
TITLE = "Білім алушыларға академиялық қолдау көрсету"
ADVISOR_BEFORE = "оқу траекториясын таңдауда жәрдем көрсету бойынша"
WORKFLOW = "Келісу және бекіту"  # the workflow's name, as the quality office named it
STILL_TO_AGREE = "Б.Мықтыбаев"  # agreer2's line of the КЕЛІСІЛДІ list
AGREEMENT_TASK = "Келісу (КЕЛІСІЛДІ)"  # the workflow's tasks, as the quality office named them
APPROVAL_TASK = "Бекіту (БЕКІТІЛДІ)"


def open_in_editor(people, page: Page, query: str = "715") -> None:
    page.goto("/admin/")
    box = page.get_by_placeholder(people.t("Search all pages…"))
    box.fill(query)
    box.press("Enter")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("tab", name=people.t("Text"))).to_be_visible()
    page.wait_for_load_state("networkidle")  # the editor's menus work once its scripts ran


def header_action(people, page: Page, action: str) -> None:
    """Follows ``action`` from the editor header's "Actions" menu, as a person does: a click
    on the menu, and another when it did not open. Wagtail's header menu hides whenever the
    breadcrumbs beside it open or close (``w-breadcrumbs:opened``/``closed``): now and then,
    clicked while the editor was starting, it was found closed (one run in ten or so here)."""
    toggle = page.locator("header").get_by_role("button", name=people.t("Actions")).first
    link = page.get_by_role("link", name=people.t(action))
    click_until(toggle, lambda: link.is_visible(), lambda: expect(link).to_be_visible(timeout=3000))
    link.click()


def click_until(toggle, done, check) -> None:
    """Clicks ``toggle`` until ``done()`` (``check()`` waits a little for it, and raises when
    it did not come), at most five times, as a person clicks again when a menu or panel did
    not open: a click that came before the editor's scripts took it, or one undone by them."""
    for _click in range(5):
        if not done():
            toggle.click()
        try:
            check()
            return
        except AssertionError:
            continue
    check()


def term_definition(people, page: Page, section: str, number: str):
    """The definition box of term ``number``, after opening its section as a person does."""
    page.get_by_role("tab", name=people.t("Text")).click()
    section_label = re.escape(people.t("Section"))
    page.get_by_role("heading", name=re.compile(rf"^{section_label}\s+{section}\s")).click()
    term_label = re.escape(people.t("Term"))
    heading = page.get_by_role("heading", name=re.compile(rf"^{term_label}\s+{re.escape(number)}$"))
    block = page.locator("section.w-panel", has=heading).last
    return block.get_by_label(people.t("definition"))


NOT_SENT = (
    "Not sent for agreement and approval: correct what follows (the tabs to look at are "
    "marked), then submit again. What you typed is still in the editor."
)
ADD_IT_HERE = (
    "Add this change's row here: change number, section and clause, kind of change, "
    "date introduced, surname and name."
)
ADD_THE_ROW = (
    "This edition is in force: a change can be published only with its row in the revision "
    "register. Add the row: change number, section and clause, kind of change, date "
    "introduced, surname and name (the approval writes in its notice and the notice's date)."
)


def add_register_row(
    people, page: Page, *, number: str, clause: str, who: str, kind: str | None = "modify"
) -> None:
    page.get_by_role("tab", name=people.t("Register")).click()
    add = people.t("Add %(label)s", label=people.t("change"))
    page.get_by_role("button", name=add).click()
    row = page.locator("[id^='inline_child_register_entries']").last
    row.get_by_label(people.t("change no.")).fill(number)
    row.get_by_label(people.t("section and clause")).fill(clause)
    if kind is not None:
        row.get_by_label(people.t("kind of change")).select_option(value=kind)
    row.get_by_label(people.t("date introduced")).fill(datetime.date.today().isoformat())
    row.get_by_label(people.t("surname and name")).fill(who)


def submit_for_agreement(people, page: Page) -> None:
    page.get_by_role("button", name=people.t("More actions")).click()
    submit = people.t("Submit to %(workflow_name)s", workflow_name=WORKFLOW)
    # The document goes into force by its approval: the editor offers no "Publish" past it.
    expect(page.get_by_role("button", name=submit)).to_be_visible()
    expect(page.get_by_role("button", name=people.t("Publish"), exact=True)).to_have_count(0)

    # Waits for the page the submission answers with: a refusal re-renders the same address,
    # and read at once, the page before it (its banner the same) passed for the answer.
    def sent(response) -> bool:
        return response.request.method == "POST" and response.request.is_navigation_request()

    with page.expect_response(sent):
        page.get_by_role("button", name=submit).click()
    page.wait_for_load_state()


def review_action(people, page: Page, action: str) -> None:
    """From the dashboard's "Awaiting your review", the row's action menu."""
    page.goto("/admin/")
    region = page.get_by_role("region", name=people.t("Awaiting your review"))
    row = region.locator("tr", has_text=TITLE)
    row.get_by_role("button", name=people.t("Actions")).click()
    page.get_by_role("menuitem", name=action).or_(page.get_by_role("link", name=action)).or_(
        page.get_by_role("button", name=action)
    ).first.click()


def change_clause(
    people, page: Page, *, new_text: str, change: str, refused_first: bool | None = None
) -> None:
    """Clause 3.1.5 changed and submitted with its register row; the first change is first
    sent without it, and refused (``refused_first``: whether to, when not the first)."""
    open_in_editor(people, page)
    definition = term_definition(people, page, "3", "3.1.5")
    definition.fill(new_text)
    people.shot("quality", f"change {change}: clause 3.1.5 edited")
    if change == "1" if refused_first is None else refused_first:
        # Sent first without its register row: refused, saying it was not sent and why.
        submit_for_agreement(people, page)
        errors = page.locator(".messages, [data-w-messages], .error-message, .help-critical")
        expect(page.get_by_text(people.t(NOT_SENT))).to_be_visible()
        expect(page.locator("main")).to_contain_text(people.t(ADD_THE_ROW))
        expect(page.get_by_text(people.t(ADD_THE_ROW))).to_have_count(1)  # once: the banner
        assert errors.count() > 0
        # The Register tab, where the row is added, is marked with what to correct on it, and
        # its panel says it.
        register_tab = page.get_by_role("tab", name=people.t("Register"))
        expect(register_tab.locator(".w-tabs__errors")).to_contain_text("1")
        register_tab.click()
        expect(page.get_by_text(people.t(ADD_IT_HERE))).to_be_visible()
        people.shot("quality", "change 1: not sent without its register row")
        # Then with the row, its kind of change forgotten: the banner says it was not sent,
        # and only the Register panel what to correct (it said "Add the row" over the row).
        add_register_row(people, page, number=change, clause="3.1.5", who="Г.Аршабекова", kind=None)
        submit_for_agreement(people, page)
        expect(page.get_by_text(people.t(NOT_SENT))).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(people.t(ADD_THE_ROW))
        page.get_by_role("tab", name=people.t("Register")).click()
        row = page.locator("[id^='inline_child_register_entries']").first
        expect(row.get_by_text(people.t("This field is required."))).to_be_visible()
        people.shot("quality", "change 1: not sent, the row's kind of change marked")
        row.get_by_label(people.t("kind of change")).select_option(value="modify")
    else:
        add_register_row(people, page, number=change, clause="3.1.5", who="Г.Аршабекова")
    people.shot("quality", f"change {change}: register row")
    submit_for_agreement(people, page)
    expect(page.locator(".messages, [data-w-messages]").first).to_contain_text(
        people.t("Page '%(page_title)s' has been submitted for moderation.", page_title=TITLE)
    )
    people.shot("quality", f"change {change}: submitted")


def agree(
    people, who: str, *, everyone_agreed: bool, changed: str, comment: str | None = None
) -> None:
    page = people.pages.get(who) or people.new_page(who)
    # The draft as it would read, its register with the row it adds, before the comparison.
    page.goto("/admin/")
    region = page.get_by_role("region", name=people.t("Awaiting your review"))
    region.locator("tr", has_text=TITLE).get_by_role("button", name=people.t("Actions")).click()
    page.goto(page.get_by_role("link", name=people.t("Preview")).first.get_attribute("href"))
    # (in the agreer's language, as the admin they preview it from)
    # A draft has no official PDF yet: the preview says so (it offered the one in force).
    expect(page.locator(".official-pdf")).to_have_text(
        people.t("A draft: its official PDF is made when it is approved.")
    )
    added = page.locator("#register tr:has(.in-draft)")
    expect(added).to_have_count(1)
    expect(added).to_contain_text(people.t("in this draft: not published yet"))
    expect(added).to_contain_text("3.1.5")
    expect(page.locator("#register")).not_to_contain_text("Өзгерістер тіркелмеген.")
    added.scroll_into_view_if_needed()
    people.shot(who, "the draft's preview: its register row")
    review_action(people, page, people.t("Compare with live version"))
    addition = page.locator(".addition", has_text=changed).first
    expect(addition).to_be_visible()
    # Only the section that changed is shown; the others are named, not shown whole.
    others = page.locator(".unchanged-sections")
    expect(others).to_contain_text(re.compile(r"\b1, 2, 4, 5, 6, 7, 8, 9, 10, 11\b"))
    expect(page.locator("main")).not_to_contain_text("жауаптылар болып табылады")
    # Only what the quality office changed: no text it left alone is shown as changed.
    untouched = [text for text in page.locator(".addition, .deletion").all_inner_texts()]
    assert all(text.strip() for text in untouched), f"a change of spacing shown: {untouched}"
    addition.scroll_into_view_if_needed()
    people.shot(who, "what changed", full_page=False)
    if comment is None:
        # "Agree" asks first, saying what it puts their name to and who agrees after them.
        review_action(people, page, people.t("Agree"))
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text(
            people.t(
                "You are the last of those with an account here to agree: the draft then goes "
                "on to approval."
            )
            if everyone_agreed
            else people.t("Still to agree after you: %(people)s.", people=STILL_TO_AGREE)
        )
        expect(
            dialog.get_by_role(
                "link", name=people.t("What it changes: compare with the text in force")
            )
        ).to_be_visible()
        people.shot(who, "agree: what it puts their name to")
        dialog.get_by_role("button", name=people.t("Agree"), exact=True).click()
        expect(dialog).to_be_hidden()
    else:
        # "Agree with comment" sent with its comment left empty is refused at the field.
        review_action(people, page, people.t("Agree with comment"))
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name=people.t("Agree with comment")).click()
        expect(dialog).to_contain_text(
            people.t("Write your comment: it is what this action sends.")
        )
        people.shot(who, "agree with comment: the comment left empty")
        dialog.get_by_role("textbox", name=people.t("Comment")).fill(comment)
        dialog.get_by_role("button", name=people.t("Agree with comment")).click()
        expect(dialog).to_be_hidden()
    if everyone_agreed:
        message = people.t(
            "You agreed «%(title)s». Everyone has agreed; it goes on to approval.", title=TITLE
        )
    else:
        message = people.t(
            "You agreed «%(title)s». Still to agree: %(people)s.",
            title=TITLE,
            people=STILL_TO_AGREE,
        )
    expect(page.locator("[data-w-messages], .messages").first).to_contain_text(message)
    people.shot(who, "agreed")


def agree_in_the_editor(people, who: str) -> None:
    """Agreeing from the document's editor (its footer's actions), as an agreer who opened
    the draft does: the agreement is recorded, nothing of the draft is saved in their name,
    and they land on their dashboard without a refusal."""
    page = people.pages.get(who) or people.new_page(who)
    page.goto("/admin/")
    region = page.get_by_role("region", name=people.t("Awaiting your review"))
    region.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("tab", name=people.t("Text"))).to_be_visible()
    page.wait_for_load_state("networkidle")  # the footer's menu works once its scripts ran
    # The footer's main button is the step they were asked for; the others are in its menu.
    agree = page.get_by_role("button", name=people.t("Agree"), exact=True)
    expect(agree).to_be_visible()
    page.get_by_role("button", name=people.t("More actions")).click()
    expect(page.get_by_role("button", name=people.t("Request changes"))).to_be_visible()
    # They act on the draft as submitted: told so, with nothing to save it by.
    expect(page.locator("[data-w-messages], .messages").first).to_contain_text(
        people.t(
            "You are asked to act on this draft: its text is not changed here. "
            "To have something changed, choose “Request changes” and say what."
        )
    )
    expect(page.get_by_role("button", name=people.t("Save draft"))).to_have_count(0)
    # The draft's fields are read-only for them: a tester typed into a clause, agreed, and
    # the words were dropped without a word. Sections still open and close to be read.
    definition = term_definition(people, page, "3", "3.1.5")
    expect(definition).to_be_visible()
    expect(definition).not_to_be_editable()
    definition.click()
    page.keyboard.type("ПРАВКА")
    expect(page.locator("form[data-edit-form]")).not_to_contain_text("ПРАВКА")
    # An agreer agrees or asks for changes; withdrawing the draft from everyone is not theirs.
    cancel = people.t("Cancel workflow ").strip()
    expect(page.get_by_role("button", name=cancel)).to_have_count(0)
    people.shot(who, "the editor's actions for an agreer")
    agree.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        people.t("Still to agree after you: %(people)s.", people=STILL_TO_AGREE)
    )
    dialog.get_by_role("button", name=people.t("Agree"), exact=True).click()
    message = people.t(
        "You agreed «%(title)s». Still to agree: %(people)s.", title=TITLE, people=STILL_TO_AGREE
    )
    expect(page.locator("[data-w-messages], .messages").first).to_contain_text(message)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    refused = people.t("Sorry, you do not have permission to access this area.")
    expect(page.get_by_text(refused)).to_have_count(0)
    people.shot(who, "agreed in the editor")
    ((saved,),) = people.site.query(
        "SELECT count(*) FROM wagtailcore_revision r JOIN auth_user u ON u.id = r.user_id "
        "WHERE u.username = ?",
        (who,),
    )
    assert saved == 0, f"{who} only agreed, yet a draft was saved in their name"


def approve(people, page: Page, *, order: str) -> None:
    review_action(people, page, people.t("Approve by order"))
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name=people.t("Order number")).fill(order)
    # An order dated after today (not signed yet) is refused in the dialog, with the reason.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    dialog.get_by_role("textbox", name=people.t("Order date")).fill(tomorrow)
    dialog.get_by_role("button", name=people.t("Approve by order")).click()
    expect(dialog).to_contain_text(
        people.t("The order date is after today: record the order once it is signed.")
    )
    # Nor one dated before the order that approved the edition in force (715's №254-Б of
    # 08.07.2016): a tester's "01.01.2016" was printed on the change's notice.
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name=people.t("Order date")).fill("2016-01-01")
    dialog.get_by_role("button", name=people.t("Approve by order")).click()
    expect(dialog).to_contain_text(re.compile(r"2016.*\(№254-Б\)"))
    dialog = page.get_by_role("dialog")
    today = datetime.date.today().isoformat()
    dialog.get_by_role("textbox", name=people.t("Order number")).fill(order)
    dialog.get_by_role("textbox", name=people.t("Order date")).fill(today)
    people.shot("quality", f"approval dialog {order}")
    dialog.get_by_role("button", name=people.t("Approve by order")).click()
    # The demo has no worker: the approval publishes, renders the edition's and the notice's
    # PDFs and indexes the change before it answers (seconds, more beside other journeys).
    expect(dialog).to_be_hidden(timeout=60_000)
    expect(page.locator("[data-w-messages], .messages").first).to_contain_text(TITLE)


def read_workflow_history(people, page: Page) -> None:
    """The document's workflow history, its latest round: the agreement reads "Agreed"
    (Келісілді), the approval "Approved"; Wagtail said "Approved" (БЕКІТІЛДІ) for both."""
    open_in_editor(people, page)
    page.goto(re.sub(r"/edit/$", "/workflow_history/", page.url))
    expect(page.get_by_role("heading", level=1)).to_contain_text(people.t("Workflow history"))
    page.get_by_role("link", name=WORKFLOW).first.click()
    # The tasks tab names every agreer of the round (Wagtail named who finished it only).
    tasks = page.locator("#tab-tasks")
    names = [
        name
        for (name,) in people.site.query(
            "SELECT trim(first_name || ' ' || last_name) FROM auth_user "
            "WHERE username IN ('agreer1', 'agreer2')"
        )
    ]
    assert len(names) == 2 and all(names), "the demo's agreers have names"
    for name in names:
        expect(tasks).to_contain_text(name)
    page.get_by_role("tab", name=people.t("Timeline")).click()
    timeline = page.locator("#tab-timeline")
    agreement = timeline.locator("tr", has_text=AGREEMENT_TASK)
    for name in names:  # the timeline too (it named the second agreer alone)
        expect(agreement).to_contain_text(name)
    expect(agreement).to_contain_text(people.t("Agreed"))
    expect(agreement).not_to_contain_text(people.t("Approved"))
    approval = timeline.locator("tr", has_text=APPROVAL_TASK)
    expect(approval).to_contain_text(people.t("Approved"))
    # the revision the approval made to write its order in is not read as an edit
    expect(timeline).to_contain_text(people.t("Approval's order written in"))
    expect(approval).not_to_contain_text(people.t("Agreed"))
    people.shot("quality", "workflow history: agreed, then approved")


def read_page_history(people, page: Page, *, comment: str) -> None:
    """The document's page history after the round: each agreer once, "Agreed", the last
    with the comment they wrote; then the round's completion, the system's. Wagtail wrote
    that in the last agreer's name, with their comment again: a tester read them twice."""
    document_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)
    page.goto(f"/admin/pages/{document_id}/history/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(people.t("History"))
    history = page.get_by_role("table")
    names = dict(
        people.site.query(
            "SELECT username, trim(first_name || ' ' || last_name) FROM auth_user "
            "WHERE username IN ('agreer1', 'agreer2')"
        )
    )
    for who in ("agreer1", "agreer2"):
        entries = history.locator("tbody tr", has_text=names[who])
        expect(entries).to_have_count(1)
        expect(entries).to_contain_text(people.t("Agreed"))
    expect(history.locator("tbody tr", has_text=names["agreer2"])).to_contain_text(comment)
    expect(history.locator("tbody tr", has_text=comment)).to_have_count(1)
    complete = people.t(
        "Agreement at '%(task)s' complete: everyone on the agreed-by list has agreed. "
        "Next step '%(next_task)s'",
        task=AGREEMENT_TASK,
        next_task=APPROVAL_TASK,
    )
    completed = history.locator("tbody tr", has_text=complete)
    expect(completed).to_have_count(1)
    expect(completed).to_contain_text(people.t("system"))
    people.shot("quality", "page history: each agreer once, then the round complete")


def test_a_change_is_agreed_approved_and_published_with_its_register_row(people):
    office = people.new_page("quality")
    new_text = (
        "білім алушыға оқу траекториясын таңдауда және дара оқу жоспарын қалыптастыруда "
        "жәрдем көрсететін, академиялық тәлімгерлік функциясын орындайтын оқытушы."
    )
    change_clause(people, office, new_text=new_text, change="1")

    # An agreer signs in on the site, not in the admin: its header says a draft awaits them
    # and leads to it.
    site = people.new_page("agreer1", through_the_form=True)
    awaits = site.locator("header").get_by_role(
        "link",
        name=people.tn(
            "Admin: %(count)s draft awaits your review",
            "Admin: %(count)s drafts await your review",
            1,
            count=1,
        ),
    )
    expect(awaits).to_be_visible()
    people.shot("agreer1", "the site's header: a draft awaits")
    awaits.click()
    region = site.get_by_role("region", name=people.t("Awaiting your review"))
    expect(region.get_by_role("link", name=TITLE).first).to_be_visible()
    agree(people, "agreer1", everyone_agreed=False, changed="дара оқу жоспарын")
    agreed_with = "Келісемін; анықтама ГОСТ-қа сай."
    agree(
        people,
        "agreer2",
        everyone_agreed=True,
        changed="дара оқу жоспарын",
        comment=agreed_with,
    )
    approve(people, office, order="45-Б")
    read_workflow_history(people, office)
    read_page_history(people, office, comment=agreed_with)

    reader = people.new_page("staff")
    reader.goto(PROCEDURE + "#3.1.5")
    expect(reader.locator(":target")).to_contain_text("дара оқу жоспарын қалыптастыруда жәрдем")
    register = reader.locator("#register")
    # The row's notice column names the change notice the approval issued (its PDF carries
    # the order, 45-Б).
    expect(register.locator("a.notice-link")).to_have_text(re.compile(r"^№1/20\d\d, "))
    expect(reader.locator(".approval-sheet")).to_contain_text("№254-Б")
    people.shot("staff", "change 1 published")
    # On a phone the register, now with its row, is wider than the screen and says so.
    phone = people.new_page("staff-phone", viewport={"width": 390, "height": 844})
    phone.goto(PROCEDURE + "#register")
    swipe = people.t("The table is wider than the screen: swipe it sideways to see every column.")
    expect(phone.locator("#register").get_by_text(swipe)).to_be_visible()
    people.shot("staff-phone", "change 1 published: the register on a phone", full_page=False)
    register.get_by_role("link", name=people.t("Text before change %(number)s", number="1")).click()
    expect(reader.get_by_role("alert")).to_contain_text(
        people.t("Text as it was before change %(number)s, no longer in force.", number="1")
    )
    expect(reader.locator("main")).to_contain_text(ADVISOR_BEFORE)
    expect(reader.locator("main")).not_to_contain_text("дара оқу жоспарын қалыптастыруда жәрдем")
    people.shot("staff", "text before change 1")

    # Which text was in force yesterday: edition 1 as it read before change 1, linked.
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    reader.goto(f"{PROCEDURE}in-force/?date={yesterday}")
    later = reader.locator(".later-change")
    expect(later.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"/editions/1/changes/1/$")
    )
    later.get_by_role("link").click()
    expect(reader.locator("main")).to_contain_text(ADVISOR_BEFORE)
    people.shot("staff", "in force yesterday: the text before change 1")

    # A second change to the same edition: a fresh round, both agree again.
    change_clause(people, office, new_text=new_text + " Екінші өзгеріс.", change="2")
    agree_in_the_editor(people, "agreer1")
    agree(people, "agreer2", everyone_agreed=True, changed="Екінші")
    approve(people, office, order="46-Б")
    reader.goto(PROCEDURE + "#3.1.5")
    expect(reader.locator(":target")).to_contain_text("Екінші өзгеріс.")
    expect(reader.locator("#register a.notice-link").nth(1)).to_have_text(
        re.compile(r"^№2/20\d\d, ")
    )
    people.shot("staff", "change 2 published")


NOTHING_CHANGED = (
    "Nothing has changed since the published edition: the title, the text and the forms read "
    "as they do in force. A change is registered with what it changes: change them in the "
    "draft first."
)


def test_a_change_that_changes_nothing_is_not_sent(people):
    """A register row for a text the quality office left as it is in force: refused, saying
    nothing changed (a tester had it agreed and approved), and asking for no row."""
    office = people.new_page("quality")
    open_in_editor(people, office)
    add_register_row(people, office, number="1", clause="3.1.5", who="Г.Аршабекова")
    submit_for_agreement(people, office)
    expect(office.get_by_text(people.t(NOTHING_CHANGED))).to_be_visible()
    expect(office.get_by_text(people.t(NOT_SENT))).to_be_visible()
    expect(office.locator("main")).not_to_contain_text(people.t(ADD_THE_ROW))
    people.shot("quality", "a change that changes nothing: not sent")
    office.goto("/admin/")
    in_workflow = people.t("Your pages and snippets in a workflow")
    expect(office.get_by_role("region", name=in_workflow)).to_have_count(0)


def test_a_change_sent_while_its_autosave_is_on_its_way_meets_no_conflict(people):
    """The quality office sends a change the moment they stop typing, while the editor's
    autosave of it is still on its way (held here, as a slow network would). The refusal
    (no register row) speaks of the row only; with the row added, the change goes. Sent at
    the same time as the autosave, the refused submission's editor took the autosave, the
    person's own, for "a new version saved in another window" and asked on the next
    submission whether to overwrite it: the change went only once they said yes."""
    office = people.new_page("quality")
    # The editor compares its form with the one it took once it had settled (Wagtail's
    # "watch-edits", taken again as the editor's parts start): what is typed before the last
    # is no edit to it. A person reading the page first types after it.
    office.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.watched = Date.now() })"
    )
    open_in_editor(people, office)
    office.wait_for_function("window.watched && Date.now() - window.watched > 2500", polling=250)
    held = []
    slow = [True]

    def slow_autosave(route) -> None:
        autosave = route.request.method == "POST" and "application/json" in (
            route.request.headers.get("accept") or ""
        )
        held.append(route) if autosave and slow[0] else route.continue_()

    office.route("**/admin/pages/*/edit/", slow_autosave)
    term_definition(people, office, "3", "3.1.5").fill("автосақтау жолындағы өзгеріс.")
    for _wait in range(100):  # the autosave sends within a second of the last keystroke
        if held:
            break
        office.wait_for_timeout(100)
    assert held, "the editor's autosave never sent the edit"
    office.get_by_role("button", name=people.t("More actions")).click()
    submit = people.t("Submit to %(workflow_name)s", workflow_name=WORKFLOW)
    office.get_by_role("button", name=submit).click()
    slow[0] = False
    for route in held:  # the autosave arrives at the server, later than the click
        answer = route.fetch()
        with contextlib.suppress(PlaywrightError):  # its page may have gone by now
            route.fulfill(response=answer)
    expect(office.get_by_text(people.t(NOT_SENT))).to_be_visible()
    add_register_row(people, office, number="1", clause="3.1.5", who="Г.Аршабекова")
    office.get_by_role("button", name=people.t("More actions")).click()
    office.get_by_role("button", name=submit).click()
    expect(office.locator(".messages, [data-w-messages]").first).to_contain_text(
        people.t("Page '%(page_title)s' has been submitted for moderation.", page_title=TITLE)
    )
    people.shot("quality", "sent with the autosave on its way: submitted")


def test_a_new_edition_supersedes_the_old_one_which_stays_readable(people):
    office = people.new_page("quality")
    open_in_editor(people, office)
    header_action(people, office, "New edition")
    expect(office.get_by_role("heading", level=1)).to_contain_text(people.t("New edition"))
    people.shot("quality", "new edition form")
    office.get_by_role("button", name=people.t("Start the new edition")).click()
    expect(office.locator("[data-w-messages], .messages").first).to_contain_text(
        people.t("The draft of the new edition is ready: collect the agreements and approval.")
    )
    definition = term_definition(people, office, "3", "3.1.5")
    definition.fill("екінші басылымдағы эдвайзердің анықтамасы.")
    add_register_row(people, office, number="1", clause="3.1.5", who="Г.Аршабекова")
    people.shot("quality", "new edition edited")
    submit_for_agreement(people, office)
    agree(people, "agreer1", everyone_agreed=False, changed="екінші басылымдағы")
    agree(people, "agreer2", everyone_agreed=True, changed="екінші басылымдағы")
    approve(people, office, order="301-Б")

    reader = people.new_page("staff")
    reader.goto(PROCEDURE)
    expect(reader.locator(".doc-edition")).to_contain_text("№2 басылым")
    expect(reader.locator(".approval-sheet")).to_contain_text("№301-Б")
    # The sheet names who agreed this edition, dated today; the edition 1 dates of the others
    # (who agree on paper, with no account) are not carried over: their date is left blank,
    # as on paper (not "not agreed": a published sheet without a date says nothing more).
    sheet = reader.locator("table.agreed-by")
    today = datetime.date.today()
    expect(sheet.locator("tr", has_text="Р.Искаков")).to_contain_text(
        f"«{today:%d}» {today:%m %Y} ж."
    )
    expect(sheet).not_to_contain_text("2016 ж.")
    # (as read: the cell's name, shown before it on a phone only, is not read on a desktop)
    undated = sheet.locator("tr", has_text="А.Исаева").locator("td").last
    expect(undated).to_have_text("—", use_inner_text=True)
    # The row entered with the edition leads to what the edition changed.
    came = reader.locator("#register a.what-changed")
    expect(came).to_have_text(
        people.t(
            "Came with this edition: what changed from %(old)s",
            old=people.t("Edition %(number)s", number=1),
        )
    )
    people.shot("staff", "edition 2 in force")
    # Searched for, a clause that both editions hold is one result, in force, and the old
    # edition's is named under it (a tester got each clause twice through the list).
    nav = reader.get_by_role("navigation", name=people.t("Main"))
    nav.get_by_role("link", name=people.t("Search")).click()
    search(reader, "тағайындалған эдвайзер жасайды")
    found = reader.locator(".search-results ol.hits > li.hit", has_text="715 ҚП 7.2")
    expect(found).to_have_count(1)
    edition_1 = people.t("Edition %(number)s", number=1)
    expect(found).not_to_contain_text(
        people.t("superseded edition (%(edition)s)", edition=edition_1)
    )
    earlier = found.locator(".hit-earlier")
    expect(earlier).to_contain_text(people.t("Also in a superseded edition:"))
    people.shot("staff", "a clause of both editions found once")
    earlier.get_by_role("link", name=edition_1).click()
    expect(reader.locator(".banner.superseded")).to_be_visible()
    reader.goto(PROCEDURE)
    reader.get_by_role("link", name=people.t("All editions (%(count)s)", count=2)).click()
    editions = reader.locator("table.listing")
    expect(editions).to_contain_text("№254-Б")
    expect(editions).to_contain_text("№301-Б")
    # Edition 2, whose text states no day, is in force from the day its approval published it
    # (a tester read "not stated in the document" beside edition 1 ended on that day).
    second = editions.locator("tbody tr", has_text="№301-Б")
    expect(second).to_contain_text(format_date(today, language=people.language))
    expect(second).not_to_contain_text(people.t("not stated in the document"))
    people.shot("staff", "editions list")
    editions.get_by_role("link", name=people.t("Edition %(number)s", number=1)).click()
    banner = reader.locator(".banner.superseded")
    expect(banner).to_contain_text(people.t("Superseded edition.").rstrip("."))
    expect(reader.locator("main")).to_contain_text(ADVISOR_BEFORE)
    people.shot("staff", "edition 1 under its banner")


def test_the_approval_dialog_records_who_signed_the_order_once(people):
    """Approved from the editor as a person does it, pausing over the dialog: the order typed
    with its "№" is printed once, the name of who signed it is on the change's notice, and
    the approval is sent once (the editor's autosave sent it too, refused: a 400 in the log)."""
    office = people.new_page("quality")
    new_text = (
        "білім алушыға оқу траекториясын таңдауда және дара оқу жоспарын қалыптастыруда "
        "жәрдем көрсететін оқытушы."
    )
    open_in_editor(people, office)
    term_definition(people, office, "3", "3.1.5").fill(new_text)
    add_register_row(people, office, number="1", clause="3.1.5", who="Г.Аршабекова")
    office.wait_for_timeout(2000)  # the autosave of the edits done before it is sent
    submit_for_agreement(people, office)
    expect(office.locator(".messages, [data-w-messages]").first).to_contain_text(
        people.t("Page '%(page_title)s' has been submitted for moderation.", page_title=TITLE)
    )
    agree(people, "agreer1", everyone_agreed=False, changed="дара оқу жоспарын")
    agree(people, "agreer2", everyone_agreed=True, changed="дара оқу жоспарын")
    open_in_editor(people, office)
    office.get_by_role("button", name=people.t("More actions")).click()
    approve = people.t("%(label)s and Publish", label=people.t("Approve by order"))
    office.get_by_role("button", name=approve).click()
    dialog = office.get_by_role("dialog")
    expect(dialog).to_contain_text(
        people.t("As the order is numbered, without «№» (Sapa prints it): 312-Б.")
    )
    # It names what is approved, and says that approving publishes it there and then.
    what = dialog.locator(".approval-what")
    expect(what).to_contain_text(TITLE)
    expect(what).to_contain_text(
        people.t("Approving publishes it at once: staff see it as soon as you approve.")
    )
    dialog.get_by_role("textbox", name=people.t("Order number")).fill("№312-Б")
    dialog.get_by_role("textbox", name=people.t("Order date")).fill(
        datetime.date.today().isoformat()
    )
    dialog.get_by_label(people.t("Approved by")).fill("М.Бегентаев")
    people.shot("quality", "approval dialog: order with its №, who signed it")
    # What the server answers from the approval on (an autosave of the register row refused
    # while it was half typed, earlier, is the editor at work, not the approval sent twice).
    before = len(people.site.server_log())
    dialog.get_by_role("button", name=people.t("Approve by order")).click()
    expect(dialog).to_be_hidden(timeout=60_000)
    expect(office.locator("[data-w-messages], .messages").first).to_contain_text(TITLE)
    office.wait_for_timeout(1500)  # a person reads the message: an autosave would be sent now
    log = people.site.server_log()[before:]
    refused = re.findall(r'"POST /admin/pages/\d+/edit/ HTTP/1.1" [45]\d\d', log)
    assert not refused, f"the approval was sent twice, once refused: {refused}"

    reader = people.new_page("staff")
    reader.goto(PROCEDURE + "#register")
    link = reader.locator("#register a.notice-link")
    expect(link).to_have_text(re.compile(r"^№1/20\d\d, "))
    pdf = reader.request.get(link.get_attribute("href"))
    text = " ".join(notice_text(pdf.body()).split())
    assert "№312-Б бұйрықпен, Ректор М.Бегентаев" in text, text
    assert "№№" not in text
    people.shot("staff", "the change's register row, its notice linked")


def notice_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_a_draft_returned_for_changes_says_who_asked_for_what_when_its_author_opens_it(people):
    """agreer2 asked for changes with a comment; the quality office's editor then said only
    "Published" over the draft, and the comment was in the history and an email (a tester).
    Opening the draft, the author reads who asked for what, in their language."""
    office = people.new_page("quality")
    change_clause(
        people, office, new_text="эдвайзер — тәлімгер оқытушы.", change="1", refused_first=False
    )
    page = people.new_page("agreer2")
    page.goto("/admin/")
    region = page.get_by_role("region", name=people.t("Awaiting your review"))
    region.locator("tr", has_text=TITLE).get_by_role("button", name=people.t("Actions")).click()
    page.goto(page.get_by_role("link", name=people.t("Preview")).first.get_attribute("href"))
    review_action(people, page, people.t("Request changes"))
    dialog = page.get_by_role("dialog")
    asked = "3.1.5 тармағын нақтылаңыз: «тәлімгер» сөзі қайталанады."
    dialog.get_by_role("textbox", name=people.t("Comment")).fill(asked)
    dialog.get_by_role("button", name=people.t("Request changes")).click()
    expect(dialog).to_be_hidden()

    ((first, last, username),) = people.site.query(
        "SELECT first_name, last_name, username FROM auth_user WHERE username = 'agreer2'"
    )
    open_in_editor(people, office)
    said = people.t(
        "%(who)s asked for changes at “%(task)s”: «%(comment)s». Correct the draft, then "
        "submit it again.",
        who=f"{first} {last}".strip() or username,
        task=AGREEMENT_TASK,
        comment=asked,
    )
    expect(office.locator("[data-w-messages], .messages").first).to_contain_text(said)
    people.shot("quality", "the draft returned: who asked for what")


def test_with_the_side_panel_open_every_tab_of_the_editor_can_be_reached(people):
    """At 1280 px with the status panel open, the editor's last tabs ran under the floating
    "Collapse all" button and the panel: "Register" could not be clicked (a tester). They
    wrap instead, each within the editing area and clear of the button."""
    office = people.new_page("quality")
    open_in_editor(people, office)
    status = office.locator("[data-side-panel-toggle='status']")
    # Opened unless it is so already (Wagtail reopens the panel its user had open last), and
    # clicked again when a click came before the editor's scripts took it, as a person does.
    click_until(
        status,
        lambda: status.get_attribute("aria-expanded") == "true",
        lambda: expect(status).to_have_attribute("aria-expanded", "true", timeout=3000),
    )
    expect(office.locator(".form-side--open")).to_be_visible()
    panel = office.locator(".form-side--open").bounding_box()
    collapse = office.locator(".w-minimap__collapse-all--floating").bounding_box()
    for name in ("Document", "Edition", "Approval sheet", "Text", "Register", "Promote"):
        tab = office.get_by_role("tab", name=people.t(name), exact=True)
        box = tab.bounding_box()
        assert box["x"] + box["width"] <= panel["x"], name  # not under the panel
        overlaps = (
            box["x"] < collapse["x"] + collapse["width"]
            and collapse["x"] < box["x"] + box["width"]
            and box["y"] < collapse["y"] + collapse["height"]
            and collapse["y"] < box["y"] + box["height"]
        )
        assert not overlaps, name
    office.get_by_role("tab", name=people.t("Register"), exact=True).click()
    add = people.t("Add %(label)s", label=people.t("change"))
    office.get_by_role("button", name=add).click()
    # A register row's fields, each within the area and wide enough to read its help (the
    # notice number's was one word a line, the date introduced under the panel).
    row = office.locator("[id^='inline_child_register_entries']").last
    for label in ("change no.", "notice no.", "notice date", "date introduced", "surname and name"):
        box = row.get_by_label(people.t(label)).bounding_box()
        assert box["x"] + box["width"] <= panel["x"] and box["width"] >= 200, label
    row.get_by_label(people.t("surname and name")).fill("Г.Аршабекова")
    people.shot("quality", "the editor with its side panel open: every tab reachable")
