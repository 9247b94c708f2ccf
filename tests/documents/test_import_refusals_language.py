"""The importer's refusals and the apps' names are interface text: each reader gets them in
their own language (they were Kazakh literals, which a Russian reader also got)."""

import pytest
from django.apps import apps
from django.utils import translation

from sapa.documents.importing.service import import_file
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

SEED_715 = SHARED / "seeds" / "000_3e6beb1bcf47969b.txt"


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("kk", "Ұйым табылмады: «ЖОҚ»."),
        ("ru", "Организация не найдена: «ЖОҚ»."),
        ("en", "No such organisation: «ЖОҚ»."),
    ],
)
def test_an_unknown_organisation_is_refused_in_the_readers_language(
    kaznrtu_library, language, refusal
):
    with translation.override(language):
        report = import_file(SEED_715, organisation="ЖОҚ")
    assert not report.ok and report.error == refusal
    assert report.page_id is None


@pytest.mark.parametrize(
    "msgid",
    [
        "Could not tell which organisation the document belongs to: name it with --org.",
        "%(code)s: the edition «%(edition)s» is older than «%(in_force)s», the edition "
        "in force; not imported.",
        "%(organisation)s: there is no document library.",
    ],
)
def test_the_other_refusals_have_kazakh_and_russian(msgid):
    with translation.override("kk"):
        kazakh = translation.gettext(msgid)
    with translation.override("ru"):
        russian = translation.gettext(msgid)
    assert kazakh != msgid and russian != msgid and kazakh != russian
    assert any(letter in kazakh for letter in "әғқңөұүһі")


def test_the_apps_are_named_in_the_readers_language():
    with translation.override("ru"):
        names = {str(apps.get_app_config(label).verbose_name) for label in ("home", "sapa_search")}
    assert names == {"Главная страница", "Поиск"}
    with translation.override("kk"):
        assert str(apps.get_app_config("home").verbose_name) == "Басты бет"


SEED_MENTOR = SHARED / "seeds" / "001_80f74c00af075fd3.txt"


@pytest.mark.parametrize("dry_run", [True, False])
def test_another_universitys_file_is_refused_naming_whose_it_is(
    kaznrtu_library, aru_library, dry_run
):
    """A tester imported АӨУ's «Ментор» instruction into ҚазҰТЗУ's register: "read", no
    warning. The review says whose file it is, and nothing is written."""
    from sapa.documents.models import ControlledDocument

    before = ControlledDocument.objects.count()
    with translation.override("en"):
        report = import_file(SEED_MENTOR, organisation="ҚазҰТЗУ", dry_run=dry_run)
    assert not report.ok
    assert report.error == (
        "The file is АӨУ's (its code or its header names it), not ҚазҰТЗУ's: import it into "
        "АӨУ's document library."
    )
    assert ControlledDocument.objects.count() == before
    # into its own university's library it goes
    report = import_file(SEED_MENTOR, organisation="АӨУ", dry_run=True)
    assert report.ok, report.error
