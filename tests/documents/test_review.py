"""Periodic review (issue 11): the dashboard panel of documents overdue or due within 30
days, per organisation; the daily reminders to each document's owner; "reviewed, no change"
with a comment, in the page history, restarting the clock; and the uncontrolled-copy line
that a page printed from the site carries."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import PageLogEntry

from sapa.documents.models import DocumentReview
from sapa.documents.review import add_months, review_of
from sapa.localisation.dates import format_date, format_datetime
from tests.factories.documents import ProcedurePageFactory
from tests.factories.universities import Universities, build_universities

from .helpers import fresh, save_and_publish, visit

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today where the site is (Asia/Almaty), asked when a test runs: a run that crosses the
    site's midnight (19:00 UTC) must not compare with the day the module was imported on."""
    return timezone.localdate()


def published(library, user, *, effective, title, owner=None, **fields):
    page = ProcedurePageFactory(
        parent=library,
        title=title,
        edition_date=effective,
        effective_date=effective,
        approval_order_date=effective,
        owner=owner,
        **fields,
    )
    save_and_publish(page, user)
    return fresh(page)


@pytest.fixture
def universities(users, kaznrtu_library, aru_library) -> Universities:
    return build_universities(kaznrtu_library, aru_library)


@pytest.fixture
def documents(universities, users, made_once):
    """In ҚазҰТЗУ one document overdue, one due in 10 days and one not due for years; in
    АӨУ one overdue. The organisation's interval is the default 36 months. Made once a day
    (tests/conftest.py ``made_once``): two of them are dated from today."""
    return made_once(f"review documents {today()}", lambda: _documents(universities, users))


def _documents(universities, users):
    u = universities
    owner = users["quality"]
    owner.email = "quality@example.kz"
    owner.save()
    return {
        "overdue": published(
            u.kaz_library,
            u.root,
            effective=datetime.date(2016, 7, 8),
            title="Ескі процедура Жұлдыз",
            owner=owner,
        ),
        "soon": published(
            u.kaz_library,
            u.root,
            effective=add_months(today(), -36) + datetime.timedelta(days=10),
            title="Жақында қарау Шұғыла",
            owner=owner,
        ),
        "later": published(
            u.kaz_library,
            u.root,
            effective=today() - datetime.timedelta(days=30),
            title="Жаңа процедура Көктем",
            owner=owner,
        ),
        "aru": published(
            u.aru_library,
            u.root,
            effective=datetime.date(2017, 1, 10),
            title="Ментор Дала",
            slug="mentor-dala",
        ),
    }


def dashboard(client, user) -> str:
    client.force_login(user)
    with translation.override("en"):
        return client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_next_review_counts_the_interval_from_the_effective_date(documents, universities):
    item = review_of(documents["overdue"])
    assert (item.interval_months, item.since) == (36, datetime.date(2016, 7, 8))
    assert item.next_review == datetime.date(2019, 7, 8) and item.overdue
    documents["later"].review_interval_months = 6  # the document's own interval wins
    documents["later"].save()
    item = review_of(documents["later"])
    assert item.next_review == add_months(today() - datetime.timedelta(days=30), 6)
    universities.kaz.review_interval_months = 12
    universities.kaz.save()
    assert review_of(documents["soon"]).interval_months == 12


def test_a_document_valid_until_a_review_date_is_due_on_that_date(client, documents, universities):
    document = documents["later"]
    document.validity = "review_date"
    document.review_date = today() + datetime.timedelta(days=20)
    document.save()
    assert review_of(document).next_review == today() + datetime.timedelta(days=20)
    assert review_of(document).basis == "review_date"
    assert "the review date the document sets" in dashboard(client, universities.office)


def test_add_months_keeps_the_last_day_of_a_short_month():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2016, 7, 8), 36) == datetime.date(2019, 7, 8)


def test_the_dashboard_lists_overdue_and_due_documents_of_ones_own_organisation(
    client, documents, universities
):
    page = dashboard(client, universities.office)  # quality office of ҚазҰТЗУ only
    assert "Documents due for review" in page
    overdue, soon = page.split("Due within 30 days")
    assert "Ескі процедура Жұлдыз" in overdue and "8 July 2019" in overdue
    # Where the date comes from: a tester took it for one made up for a document valid
    # "until replaced", which two approved changes had not moved.
    assert (
        "every 36 months from 8 July 2016, when the edition in force took effect "
        "(changes do not restart it)"
    ) in overdue
    assert "Жақында қарау Шұғыла" in soon
    assert "Жаңа процедура Көктем" not in page  # not due for years
    assert "Ментор Дала" not in page  # another university's
    page = dashboard(client, universities.root)  # a superuser: every organisation
    assert "Ментор Дала" in page and "Ескі процедура Жұлдыз" in page


def test_nobody_outside_the_quality_office_gets_the_panel(client, documents, users):
    page = dashboard(client, users["agreer1"])
    assert "Documents due for review" not in page and "Жұлдыз" not in page


def test_the_reminders_email_each_owner_the_documents_due(documents):
    call_command("documents_review_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1  # АӨУ's document has no owner with an email address
    message = mail.outbox[0]
    assert message.to == ["quality@example.kz"]
    assert "Ескі процедура Жұлдыз" in message.body and "Жақында қарау Шұғыла" in message.body
    assert "Жаңа процедура Көктем" not in message.body
    assert "08.07.2019" in message.body
    assert f"/admin/documents/{documents['overdue'].pk}/review/" in message.body


def test_the_reminders_say_plainly_when_the_mail_server_cannot_be_reached(
    documents, no_mail_server
):
    from django.core.management import CommandError
    from django.utils import translation

    with translation.override("ru"), pytest.raises(CommandError) as refused:
        call_command("documents_review_reminders", stdout=open("/dev/null", "w"))
    assert "Почтовый сервер недоступен или отклонил quality@example.kz" in str(refused.value)
    assert "Отправлено напоминаний: 0." in str(refused.value)


def test_reviewed_no_change_enters_the_history_and_restarts_the_clock(
    client, documents, universities
):
    document = documents["overdue"]
    client.force_login(universities.office)
    url = reverse("documents_review", args=(document.pk,))
    # the dates in the reader's language (Kazakh by default), as every date of the interface
    assert "«08» 07 2019 ж." in client.get(url).content.decode()
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "«08» июля 2019 г." in russian and "08.07.2019" not in russian
    response = client.post(
        url, {"comment": "Тексерілді, өзгеріс қажет емес: барлық тармақ өзекті."}
    )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    review = DocumentReview.objects.get(document=document)
    assert review.reviewed_by == universities.office
    assert review.comment == "Тексерілді, өзгеріс қажет емес: барлық тармақ өзекті."
    item = review_of(document)
    assert item.since == today() and item.next_review == add_months(today(), 36)
    assert not item.overdue and item.basis == "review"
    # the page history shows the review with its comment
    entry = PageLogEntry.objects.get(page=document, action="sapa.review_no_change")
    assert entry.user == universities.office
    history = client.get(reverse("wagtailadmin_pages:history", args=(document.pk,)))
    text = history.content.decode()
    assert "барлық тармақ өзекті" in text
    # and the dashboard no longer lists it
    assert "Ескі процедура Жұлдыз" not in dashboard(client, universities.office)


def test_an_empty_comment_is_refused_and_nothing_is_recorded(client, documents, universities):
    client.force_login(universities.office)
    url = reverse("documents_review", args=(documents["overdue"].pk,))
    with translation.override("kk"):
        response = client.post(url, {"comment": "   "})
        expected = gettext("Write what the review found.")
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not DocumentReview.objects.exists()
    assert not PageLogEntry.objects.filter(action="sapa.review_no_change").exists()


def test_another_organisations_document_is_not_found(client, documents, universities):
    client.force_login(universities.office)
    url = reverse("documents_review", args=(documents["aru"].pk,))
    assert client.get(url).status_code == 404
    assert client.post(url, {"comment": "Басқа университет"}).status_code == 404
    assert not DocumentReview.objects.exists()


def test_staff_are_refused(client, documents, users):
    client.force_login(users["staff"])
    url = reverse("documents_review", args=(documents["overdue"].pk,))
    response = client.post(url, {"comment": "Қызметкер"})
    assert response.status_code == 302 and "/login/" in response.url
    assert not DocumentReview.objects.exists()


def test_a_printed_page_says_uncontrolled_copy_with_the_date(client, documents, users):
    client.force_login(users["staff"])
    with translation.override("kk"):
        html = visit(client, documents["later"]).content.decode()
        stamp = gettext("Uncontrolled copy")
    now = timezone.localdate()
    assert f'<p class="print-stamp">{stamp} · ' in html
    assert f"«{now:%d}» {now:%m} {now:%Y}" in html
    assert "sapa/print-stamp.css" in html


# --- a review that finds a new edition needed ----------------------------------------------

REASON = "3.1 тармақ ескірген: жаңа басылым қажет, өзгерістер көп."


def _start_new_edition(client, document, **extra):
    url = reverse("documents_review", args=(document.pk,))
    data = {"edition-reason": REASON, "edition-label": "", "edition-version": ""}
    data.update(extra)
    return client.post(url, {**data, "start_new_edition": "1"}, HTTP_ACCEPT_LANGUAGE="en")


def _review_row(html: str, outcome: str) -> str:
    return html.split(f'<tr class="review-{outcome}">', 1)[1].split("</tr>", 1)[0]


def test_a_review_that_needs_a_new_edition_is_in_the_history_with_its_draft(
    client, documents, universities
):
    document = documents["overdue"]
    office = universities.office
    client.force_login(office)
    response = _start_new_edition(client, document)
    edit = reverse("wagtailadmin_pages:edit", args=(document.pk,))
    assert response.status_code == 302 and response.url == edit
    page = client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the review found that a new edition is needed" in page
    assert "The draft of Edition 2 is ready" in page  # the edition as the interface names it

    review = DocumentReview.objects.get(document=document)
    assert (review.outcome, review.reviewed_by, review.comment) == ("new_edition", office, REASON)
    assert review.revision == fresh(document).latest_revision
    assert fresh(document).get_latest_revision_as_object().edition_number == 2

    # the review page's history: the decision, who, when, why, and a link to the draft
    url = reverse("documents_review", args=(document.pk,))
    row = _review_row(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), "new_edition")
    assert "new edition started" in row
    assert "kaz_office" in row
    assert format_datetime(review.reviewed_at, language="en") in row
    assert f'<a class="review-edition" href="{edit}">draft of Edition 2</a>' in row
    assert REASON in row
    # Wagtail's page history says the same
    history = client.get(
        reverse("wagtailadmin_pages:history", args=(document.pk,)), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "New edition needed: the draft of Edition 2 was started" in history
    assert REASON in history
    entry = PageLogEntry.objects.get(page=document, action="sapa.review_new_edition")
    assert entry.user == office and entry.data["revision_id"] == review.revision_id
    # the clock restarts when the new edition takes effect, not now: still overdue on the
    # dashboard, which says that a new edition is being prepared
    assert review_of(document).overdue
    overdue = dashboard(client, office).split("Due within 30 days")[0]
    started = f"new edition in preparation since {format_date(today(), language='en')}"
    assert "Ескі процедура Жұлдыз" in overdue and started in overdue

    # once published, the history links to the edition in force
    draft = fresh(document).get_latest_revision_as_object()
    draft.edition_date = draft.effective_date = draft.approval_order_date = today()
    save_and_publish(draft, universities.root)
    row = _review_row(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), "new_edition")
    assert f'<a class="review-edition" href="{fresh(document).url}">Edition 2</a>' in row
    assert review_of(document).since == today() and not review_of(document).overdue
    assert "Ескі процедура Жұлдыз" not in dashboard(client, office)


def test_a_new_edition_without_a_reason_is_refused_and_nothing_is_written(
    client, documents, universities
):
    document = documents["overdue"]
    revisions = document.revisions.count()
    client.force_login(universities.office)
    with translation.override("en"):
        response = _start_new_edition(client, document, **{"edition-reason": "  "})
        expected = gettext("Write what the review found.")
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not DocumentReview.objects.exists()
    assert document.revisions.count() == revisions
    assert not PageLogEntry.objects.filter(action="sapa.review_new_edition").exists()


def test_a_version_numbered_document_needs_its_new_version(client, documents, universities):
    """АӨУ's documents are numbered by version: without one the draft is not started and the
    review is not recorded."""
    document = documents["overdue"]
    document.edition_number, document.edition_version = None, "2.0"
    document.save_revision().publish()
    client.force_login(universities.office)
    response = _start_new_edition(client, fresh(document))
    assert response.status_code == 400
    assert "Give the new version, for example 3.0." in response.content.decode()
    assert not DocumentReview.objects.exists()


def test_a_new_editions_title_page_takes_its_own_year_not_the_old_ones(
    client, documents, universities
):
    """A tester's new edition, approved in 2026, had «Ақтөбе, 2025 ж.» on its cover: the
    year the edition before stated. The new edition's draft states none, so its cover takes
    the year of its own date (the order's that approves it)."""
    document = documents["overdue"]
    # (stated by the edition in force, as the importer reads it from the title page)
    type(document).objects.filter(pk=document.pk).update(title_page_year=2025)
    revision = fresh(document).latest_revision
    revision.content["title_page_year"] = 2025
    revision.save(update_fields=["content"])
    client.force_login(universities.office)
    _start_new_edition(client, fresh(document))
    draft = fresh(document).get_latest_revision_as_object()
    assert draft.edition_number == 2
    assert draft.title_page_year is None and draft.edition_date is None
    assert fresh(document).title_page_year == 2025  # the edition in force keeps its own
