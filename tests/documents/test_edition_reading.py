"""What a reader meets on a document's public pages once it has changes and editions: the
edition's own approval, the text before each change, working links on every host, and the
next publication announced without its text.

New interface strings are English msgids until the lead merges the translations, so these
pages are read in English (Accept-Language: en); the document's own words stay Kazakh."""

import datetime
import re
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from sapa.documents.services import edition_start_new
from sapa.localisation.dates import format_date
from tests.documents import helpers
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text, visit
from tests.factories.documents import ProcedurePageFactory, register_row

pytestmark = pytest.mark.django_db

FIRST = "Тағайындалған эдвайзер жасайды:"
SECOND = "Тағайындалған эдвайзер жыл сайын жасайды:"
THIRD = "Эдвайзер жыл сайын жасайды және есеп береді:"
DRAFT = "Құпия жоба: әлі жарияланбаған мәтін."


def read(client, page, suffix="", **extra):
    response = visit(client, page, suffix, HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert response.status_code == 200, (suffix, response.status_code)
    return response.content.decode()


def section(html: str, css_class: str) -> str:
    start = html.index(f'class="{css_class}"')
    return html[start : html.index("</section>", start)]


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"#]*)', html) if h]


def publish_change(page, user, number, text, **row):
    draft = draft_of(page)
    set_clause_text(draft, "7.2", text)
    draft.register_entries = [*draft.register_entries.all(), register_row(number, **row)]
    return save_and_publish(draft, user)


@pytest.fixture
def changed(published, users):
    """Edition 1 with two published changes, then an unpublished draft of a third."""
    publish_change(published, users["quality"], "1", SECOND)
    publish_change(published, users["quality"], "2", THIRD, section_clause="7.2, 2-азат жол")
    draft = draft_of(published)
    set_clause_text(draft, "7.2", DRAFT)
    draft.register_entries = [*draft.register_entries.all(), register_row("3")]
    draft.save_revision(user=users["quality"])
    return fresh(published)


# --- 1. БЕКІТІЛДІ is the edition's order, not a change's ---------------------------------


def test_a_change_with_its_own_order_keeps_the_editions_approval(published, users, client):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", SECOND)
    # What the approval of a change used to do: its order written over the page's fields.
    draft.approval_order_number = "17-Б"
    draft.approval_order_date = datetime.date(2017, 9, 12)
    draft.register_entries = [register_row("1", notice_number="17-Б")]
    save_and_publish(draft, users["quality"])

    page = fresh(published)
    approval = section(read(client, page), "approval-sheet")
    assert "№254-Б" in approval and "«08» 07" in approval
    assert "17-Б" not in approval
    register = section(read(client, page), "register")
    assert "17-Б, 12.09.2017" in register  # the change's order is on its row

    editions = read(client, page, "editions/")
    assert "№254-Б, 8 July 2016" in editions and "17-Б" not in editions
    assert page.editions.get().approval_order_number == "254-Б"


def test_each_edition_in_the_list_shows_its_own_approval(published, users, client):
    draft = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    draft.approval_order_number = "88-Б"
    draft.approval_order_date = datetime.date(2020, 8, 20)
    save_and_publish(draft, users["quality"])
    rows = read(client, fresh(published), "editions/").split("<tr")
    second = next(r for r in rows if ">Edition 2<" in r)
    first = next(r for r in rows if ">Edition 1<" in r)
    assert "№88-Б, 20 August 2020" in second and "254-Б" not in second
    assert "№254-Б, 8 July 2016" in first and "88-Б" not in first


# --- 2. the text before each change ----------------------------------------------------


def test_each_register_row_opens_the_text_before_that_change(changed, client):
    html = read(client, changed)
    register = section(html, "register")
    links = dict(re.findall(r'<a class="earlier-text" href="([^"]+)">([^<]+)</a>', register))
    base = urlsplit(changed.full_url).path
    assert links == {
        f"{base}editions/1/changes/1/": "Text before change 1",
        f"{base}editions/1/changes/2/": "Text before change 2",
    }
    assert THIRD in html and DRAFT not in html

    before_1 = read(client, changed, "editions/1/changes/1/")
    assert "Text as it was before change 1, no longer in force." in before_1
    assert (
        "This is Edition 1 as it read before change 1 (7.2) was entered on 15 September 2017."
        in (before_1)
    )
    assert FIRST in before_1 and SECOND not in before_1 and THIRD not in before_1
    assert "Өзгерістер тіркелмеген." in section(before_1, "register")  # no change yet then
    assert f'href="{base}"' in before_1  # "Open the text in force"

    before_2 = read(client, changed, "editions/1/changes/2/")
    assert "Text as it was before change 2, no longer in force." in before_2
    assert SECOND in before_2 and FIRST not in before_2 and THIRD not in before_2
    register_then = section(before_2, "register")
    assert "Text before change 1" in register_then and "Text before change 2" not in register_then


def test_unpublished_drafts_never_show(changed, client, users):
    for suffix in ("editions/1/changes/1/", "editions/1/changes/2/", "editions/", ""):
        assert DRAFT not in read(client, changed, suffix)
    # Row 3 belongs to a draft: it is not in the register and has no earlier text to open.
    assert visit(client, changed, "editions/1/changes/3/").status_code == 404
    assert visit(client, changed, "editions/1/changes/9/").status_code == 404
    assert visit(client, changed, "editions/7/changes/1/").status_code == 404


def test_a_row_published_with_the_edition_has_no_earlier_text(kaznrtu_library, users, client):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    page.register_entries = [register_row("1")]
    save_and_publish(page, users["quality"])
    register = section(read(client, fresh(page)), "register")
    assert "earlier text not kept" in register and "Text before change" not in register
    assert visit(client, fresh(page), "editions/1/changes/1/").status_code == 404


def test_superseded_edition_keeps_its_register_links(changed, users, client):
    draft = edition_start_new(document=fresh(changed), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    set_clause_text(draft, "7.2", "Екінші басылымның мәтіні.")
    save_and_publish(draft, users["quality"])
    page = fresh(changed)
    assert "Text before change" not in section(read(client, page), "register")  # new register
    old = read(client, page, "editions/1/")
    assert "Superseded edition." in old and THIRD in old
    base = urlsplit(page.full_url).path
    assert f'href="{base}editions/1/changes/2/"' in old
    assert SECOND in read(client, page, "editions/1/changes/2/")


# --- 3. links work on the host in use ---------------------------------------------------


@pytest.fixture
def versioned(kaznrtu_library, users):
    """A document numbered by version: 2.0 in force, then 3.0 supersedes it."""
    page = ProcedurePageFactory(
        parent=kaznrtu_library,
        edition_number=None,
        edition_version="2.0",
        edition_label="2.0 нұсқа",
    )
    save_and_publish(page, users["quality"])
    draft = edition_start_new(
        document=fresh(page), user=users["quality"], version="3.0"
    ).as_object()
    draft.effective_date = datetime.date(2025, 9, 1)
    set_clause_text(draft, "7.2", "3.0 нұсқаның мәтіні.")
    save_and_publish(draft, users["quality"])
    return fresh(page)


def test_version_2_0_is_linked_and_readable_under_its_banner(versioned, client):
    editions = read(client, versioned, "editions/")
    base = urlsplit(versioned.full_url).path
    assert f'href="{base}editions/2-0/">Version 2.0</a>' in editions
    old = read(client, versioned, "editions/2-0/")
    assert "Superseded edition." in old and "This is the text of Version 2.0" in old
    assert "2.0 нұсқа" in old and FIRST in old  # the document's own header keeps its wording
    assert "3.0 нұсқаның мәтіні." not in old
    library = read(client, versioned.get_parent(), "?status=superseded")
    assert f'href="{base}editions/2-0/"' in library


HOSTS = [
    pytest.param("kaznrtu.localhost:8000", "", id="organisation-host"),
    pytest.param("localhost:8000", "/kaznrtu", id="portal-host-with-prefix"),
]


@pytest.mark.parametrize(("host", "prefix"), HOSTS)
def test_every_link_on_the_document_pages_works_on_the_host_in_use(
    changed, versioned, users, client, host, prefix
):
    draft = edition_start_new(document=fresh(changed), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    save_and_publish(draft, users["quality"])
    pages = [fresh(changed), versioned]
    start = [f"{prefix}{urlsplit(pages[0].get_parent().full_url).path}"]
    for page in pages:
        path = f"{prefix}{urlsplit(page.full_url).path}"
        start += [path, f"{path}editions/", f"{path}in-force/?date=2018-01-01"]
    start.append(f"{start[0]}?status=superseded")

    seen: set[str] = set()
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        assert len(seen) < 120, sorted(seen)
        response = client.get(url, HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            assert target.netloc in ("", host), (url, response["Location"])
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
            continue
        assert response.status_code == 200, (host, url, response.status_code)
        if "/docs/" not in urlsplit(url).path:
            continue
        for href in hrefs(response.content.decode()):
            parts = urlsplit(href)
            assert parts.netloc in ("", host), (url, href)
            if parts.path.startswith(("/static/", "/admin/")):
                continue
            queue.append(urljoin(url, href))
    visited = " ".join(seen)
    assert "editions/1/changes/2/" in visited and "editions/2-0/" in visited
    assert "editions/1/" in visited


# --- 5. the next publication is announced, not shown -------------------------------------


def schedule(page, user, *, days: int, number=None, text=SECOND):
    draft = draft_of(page)
    set_clause_text(draft, "7.2", text)
    if number:
        draft.register_entries = [*draft.register_entries.all(), register_row(number)]
    draft.go_live_at = timezone.now() + datetime.timedelta(days=days)
    revision = draft.save_revision(user=user)
    revision.publish(user=user)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    return revision


def test_a_scheduled_change_is_announced_without_its_text(published, users, client):
    revision = schedule(published, users["quality"], days=10, number="1")
    day = format_date(timezone.localtime(revision.approved_go_live_at), language="en")
    page = fresh(published)
    html = read(client, page)
    # which change and which clause: staff read that a change was coming and not to what
    assert f"Change 1 (7.2) to this edition comes into force on {day}." in html
    assert SECOND not in html and FIRST in html
    assert f"Change 1 (7.2) to this edition comes into force on {day}." in read(
        client, page, "editions/"
    )
    russian = visit(client, page, "", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Изменение 1 (7.2) этого издания вступает в силу" in russian
    # The register, still without the change's row, says when it comes (a tester read
    # "Өзгерістер тіркелмеген" under the banner and took it that no change was coming).
    register = html[html.index('id="register"') :]
    assert f"Change 1 (7.2) is entered in this register on {day}, when it comes into force." in (
        register
    )
    assert "Изменение 1 (7.2) будет внесено в этот лист регистрации" in russian

    with time_machine.travel(revision.approved_go_live_at + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
        html = read(client, fresh(published))
    assert SECOND in html and "comes into force on" not in html
    assert "is entered in this register on" not in html


def test_a_scheduled_new_edition_is_announced_with_its_label(published, users, client):
    edition_start_new(document=fresh(published), user=users["quality"])
    revision = schedule(published, users["quality"], days=30, text="Жаңа басылым.")
    day = format_date(timezone.localtime(revision.approved_go_live_at), language="en")
    html = read(client, fresh(published))
    assert f"The next edition (Edition 2) comes into force on {day}." in html
    assert "Жаңа басылым." not in html


def test_no_link_to_a_cited_document_that_is_not_published(kaznrtu_library, users, client):
    records = ProcedurePageFactory(
        parent=kaznrtu_library, slug="404-kp", number="404", code="ҚазҰТЗУ 404 ҚП"
    )
    save_and_publish(records, users["quality"])
    citing = ProcedurePageFactory(parent=kaznrtu_library)
    body = citing.body.raw_data
    body[0]["value"]["content"] += [
        {
            "type": "reference",
            "value": {"number": "2.3", "document": records.pk, "code": "", "text": "404 ҚП"},
        },
        {"type": "records", "value": {"text": "Жазбалар сақталады.", "procedure": records.pk}},
    ]
    citing.body = body
    save_and_publish(citing, users["quality"])
    records_url = urlsplit(fresh(records).full_url).path
    assert read(client, fresh(citing)).count(f'href="{records_url}"') == 2

    helpers.withdraw_in_admin(records, users["quality"])
    html = read(client, fresh(citing))
    assert f'href="{records_url}"' not in html
    assert "404 ҚП" in html and "Жазбаларды басқару: ҚазҰТЗУ 404 ҚП" in html


def test_the_edition_in_force_on_a_day_before_a_change_points_to_the_text_before_it(
    published, users, client
):
    """An auditor asked which text was in force the day before a change: the answer named
    the edition and linked its text with the change (a tester read edition 1 "with change 1"
    for the day before change 1 was made)."""
    publish_change(published, users["quality"], "1", SECOND)
    publish_change(published, users["quality"], "2", THIRD, entered_date=datetime.date(2018, 3, 1))
    page = fresh(published)
    base = urlsplit(page.full_url).path

    before_both = read(client, page, "in-force/?date=2017-09-14")
    assert "Change 1 and those after it were introduced later (15 September 2017)" in before_both
    link = re.search(
        r'the text then was <a href="([^"]+)">the text before change 1</a>', before_both
    )
    assert link and link.group(1) == f"{base}editions/1/changes/1/"
    assert FIRST in read(client, page, "editions/1/changes/1/")

    between = read(client, page, "in-force/?date=2017-12-01")
    assert "Change 2 and those after it were introduced later (1 March 2018)" in between
    assert f'href="{base}editions/1/changes/2/"' in between

    after_both = read(client, page, "in-force/?date=2018-03-01")
    assert "introduced later" not in after_both
    assert "was in force (from" in after_both

    later = read(client, page, f"in-force/?date={timezone.localdate().year + 1}-01-01")
    assert "will be in force as things stand today" in later and "was in force" not in later
