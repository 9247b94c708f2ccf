"""The record page links a quality manager to the record's entries in the search index (a
Wagtail admin view, reached by its URL name, so it follows wherever the admin is mounted);
the link opens that record's entries, and an auditor is not offered it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils import translation
from wagtail.admin import urls as wagtailadmin_urls

from sapa import urls as sapa_urls
from tests.factories.records import make_record

pytestmark = pytest.mark.django_db

#: Sapa's URLs with the Wagtail admin mounted under /office/admin/ instead of /admin/.
urlpatterns = [
    path("office/admin/", include(wagtailadmin_urls)) if str(p.pattern) == "admin/" else p
    for p in sapa_urls.urlpatterns
]


def kk(msgid: str) -> str:
    with translation.override("kk"):
        return translation.gettext(msgid)


def entries_link(html: str) -> str | None:
    label = kk("Its entries in the search index")
    before, found, _after = html.partition(f">{label}</a>")
    return before.rsplit('href="', 1)[-1].split('"', 1)[0] if found else None


def open_record_as_quality_manager(client, world):
    record = make_record(world)
    quality = world.users["quality"]
    quality.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(quality)
    page = client.get(reverse("records:detail", args=(record.pk,))).content.decode()
    return record, entries_link(page)


def test_the_search_index_link_opens_this_records_entries(client, world):
    record, link = open_record_as_quality_manager(client, world)
    assert link == f"/admin/search/index/record:{record.pk}/"
    assert f"record:{record.pk}" in client.get(link).content.decode()

    client.force_login(world.users["auditor"])
    page = client.get(reverse("records:detail", args=(record.pk,))).content.decode()
    assert entries_link(page) is None and "/search/index/" not in page


@pytest.mark.urls(__name__)
def test_the_link_follows_the_admin_where_it_is_mounted(client, world):
    record, link = open_record_as_quality_manager(client, world)
    assert link == f"/office/admin/search/index/record:{record.pk}/"
    assert f"record:{record.pk}" in client.get(link).content.decode()
