"""Choosing the interface language: the switcher on every page, remembered in a cookie and in
the signed-in person's profile (which the Wagtail admin reads too), ``/ru/…`` links, one date
form per language, and commands in the operator's chosen language."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from wagtail.users.models import UserProfile

from sapa.localisation.dates import format_date, format_datetime

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = "/kaznrtu/docs/"


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_every_page_offers_the_three_languages_each_named_in_itself(kaznrtu_library):
    page = text_of(Client().get(LIBRARY))
    assert 'class="language-switcher"' in page
    for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'value="{code}" lang="{code}"' in page
        assert f">{name}</button>" in page
    # Kazakh is the default: its button is the current one
    assert 'value="kk" lang="kk" aria-current="true" disabled' in page
    assert '<html lang="kk">' in page


@pytest.mark.django_db
def test_choosing_russian_keeps_it_for_the_next_pages(kaznrtu_library):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "ru", "next": LIBRARY})
    assert response.status_code == 302 and response["Location"] == LIBRARY
    assert client.cookies["django_language"].value == "ru"
    page = text_of(client.get("/search/"))
    assert '<html lang="ru">' in page
    assert ">Поиск<" in page and ">Іздеу<" not in page
    english = text_of(client.get("/en/search/", follow=True))
    assert '<html lang="en">' in english and ">Search<" in english


@pytest.mark.django_db
def test_the_choice_of_a_signed_in_person_follows_them_to_another_browser_and_the_admin(users):
    first = Client()
    first.force_login(users["quality"])
    first.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert UserProfile.get_for_user(users["quality"]).preferred_language == "en"

    other_browser = Client(HTTP_ACCEPT_LANGUAGE="kk")
    other_browser.force_login(users["quality"])
    assert '<html lang="en">' in text_of(other_browser.get("/records/"))
    dashboard = text_of(other_browser.get("/admin/"))
    assert 'lang="en"' in dashboard and "Dashboard" in dashboard


@pytest.mark.django_db
def test_a_language_chosen_on_the_sign_in_page_wins_over_the_accounts(users):
    """A tester chose Қазақша on the sign-in page and, signed in, read Russian: the language
    the account had kept. The choice made just before signing in is theirs now, kept in the
    profile; signing in on another browser, without choosing, keeps the profile's."""
    quality = users["quality"]
    quality.set_password("sign-in-here")
    quality.save(update_fields=["password"])
    profile = UserProfile.get_for_user(quality)
    profile.preferred_language = "ru"
    profile.save(update_fields=["preferred_language"])

    browser = Client(HTTP_ACCEPT_LANGUAGE="ru")
    assert 'lang="ru"' in text_of(browser.get("/admin/login/"))
    browser.post("/i18n/setlang/", {"language": "kk", "next": "/admin/login/"})
    dashboard = browser.post(
        "/admin/login/", {"username": "quality", "password": "sign-in-here"}, follow=True
    )
    assert '<html lang="kk"' in text_of(dashboard)
    assert UserProfile.get_for_user(quality).preferred_language == "kk"

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.post("/admin/login/", {"username": "quality", "password": "sign-in-here"})
    assert '<html lang="kk"' in text_of(other.get("/admin/"))


@pytest.mark.django_db
def test_the_admin_speaks_kazakh_to_a_kazakh_browser(users):
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    login = text_of(client.get("/admin/login/"))
    assert "Wagtail жүйесіне кіру" in login and "Sign in to Wagtail" not in login
    client.force_login(users["quality"])
    dashboard = text_of(client.get("/admin/"))
    assert 'lang="kk"' in dashboard
    assert "Басқару тақтасы" in dashboard


@pytest.mark.django_db
def test_djangos_own_admin_refuses_staff_in_kazakh(users):
    """Staff who opened /django-admin/ in Kazakh read its refusal in English, under the
    heading "Даңғо әкімшілігі" (Django's own Kazakh catalogue)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    client.force_login(users["staff"])
    page = text_of(client.get("/django-admin/", follow=True))
    assert "Сіз staff ретінде кірдіңіз, бірақ бұл бетке кіруге рұқсатыңыз жоқ." in page
    assert "You are authenticated" not in page
    assert "Django әкімшілігі" in page and "Даңғо" not in page


@pytest.mark.django_db
def test_a_language_link_chooses_the_language_and_keeps_the_address(kaznrtu_library):
    client = Client()
    response = client.get("/ru/kaznrtu/docs/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/kaznrtu/docs/?page=2"
    assert client.cookies["django_language"].value == "ru"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/ru//evil.example/", "/en/%2F%2Fevil.example", "/kk/\\evil.example"]
)
def test_a_language_link_never_leads_off_the_site(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"].split("?")[0].lstrip("/").split("/")[0]
    assert not response["Location"].startswith(("//", "http", "/\\"))


@pytest.mark.django_db
def test_the_switcher_refuses_to_send_people_off_the_site():
    response = Client().post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(users):
    client = Client()
    client.force_login(users["staff"])
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert UserProfile.get_for_user(users["staff"]).preferred_language == ""
    assert '<html lang="kk">' in text_of(client.get("/records/"))


def test_one_date_form_per_language():
    day = datetime.date(2016, 7, 8)
    assert format_date(day, language="kk") == "«08» 07 2016 ж."
    assert format_date(day, language="ru") == "«08» июля 2016 г."
    assert format_date(day, language="en") == "8 July 2016"
    moment = datetime.datetime(2016, 3, 1, 9, 5, tzinfo=ZoneInfo("UTC"))  # 15:05 in Almaty
    assert format_datetime(moment, language="kk") == "«01» 03 2016 ж. 15:05"
    assert format_datetime(moment, language="ru") == "«01» марта 2016 г., 15:05"
    assert format_datetime(moment, language="en") == "1 March 2016, 15:05"
    assert format_date(None) == ""


def test_the_date_follows_the_active_language(settings):
    from django.utils import translation

    with translation.override("ru-ru"):
        assert format_date(datetime.date(2024, 12, 31)) == "«31» декабря 2024 г."


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [("", "қалта емес"), ("ru", "не папка"), ("en", "is not a folder")],
)
def test_commands_speak_the_language_the_operator_chose(tmp_path, chosen, expected):
    env = {**os.environ, "SAPA_LANGUAGE": chosen, "SAPA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "sapa_restore", str(tmp_path / "none"), "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert expected in result.stderr


@pytest.mark.django_db
def test_the_universitys_home_names_its_register_in_the_readers_language(kaznrtu_library):
    # A tester read "Құжаттар тізілімі" (the library page's Kazakh title) in the Russian
    # and English header of /kaznrtu/, and "Реестр документов" on every other page.
    client = Client()
    home = "/kaznrtu/"
    for language, label in (("ru", "Реестр документов"), ("en", "Document register")):
        client.post("/i18n/setlang/", {"language": language, "next": home})
        header = text_of(client.get(home)).split("</header>")[0]
        assert f'<a href="{LIBRARY}">{label}</a>' in header
        assert "Құжаттар тізілімі" not in header


@pytest.mark.django_db
def test_the_portal_and_the_register_speak_the_readers_language_where_given(kaznrtu_library):
    """A tester read the portal's heading and the register's ("Құжаттар тізілімі") in Kazakh
    on Russian and English pages. Given in Russian and English, they are read so; not given,
    as written in Kazakh, marked as Kazakh."""
    from home.models import HomePage

    portal = HomePage.objects.get()
    portal.title_ru, portal.intro_ru = "Документы качества", "Контролируемые документы."
    portal.title_en = portal.intro_en = ""
    portal.save()
    library = kaznrtu_library
    library.title_ru, library.title_en = "Реестр документов", ""
    library.save()
    client = Client()
    for language, portal_title, library_title in (
        ("ru", "Документы качества", "Реестр документов"),
        ("en", portal.title, library.title),  # not given in English: the Kazakh, marked so
        ("kk", portal.title, library.title),
    ):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = text_of(client.get("/"))
        lang = language if language == "ru" else "kk"
        assert f'<h1 lang="{lang}">{portal_title}</h1>' in page, page[:3000]
        if language == "ru":
            assert '<p class="lead" lang="ru">Контролируемые документы.</p>' in page
        page = text_of(client.get(LIBRARY))
        assert f'<h1 lang="{lang}">{library_title}</h1>' in page


@pytest.mark.django_db
def test_the_ministry_line_is_read_in_the_readers_language_where_given(kaznrtu_library):
    """A tester read the university's ministry line in Kazakh under a Russian page. Given in
    Russian, it is read so; not given in English, it is the Kazakh, marked as Kazakh; the
    documents print it as written."""
    from sapa.documents.models import Organisation

    organisation = Organisation.objects.get(short_name="ҚазҰТЗУ")
    organisation.ministry = "Қазақстан Республикасы Ғылым және жоғары білім министрлігі"
    organisation.ministry_ru = "Министерство науки и высшего образования Республики Казахстан"
    organisation.ministry_en = ""
    organisation.save()
    client = Client()
    for language, lang, line in (
        ("ru", "ru", organisation.ministry_ru),
        ("en", "kk", organisation.ministry),
        ("kk", "kk", organisation.ministry),
    ):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = text_of(client.get("/kaznrtu/"))
        assert f'<p class="ministry" lang="{lang}">{line}</p>' in page, language
