"""Each university is a Wagtail Site with its own settings; codes are unique per organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sapa.documents.models import Organisation
from tests.documents.helpers import visit
from tests.factories.documents import ProcedurePageFactory

pytestmark = pytest.mark.django_db


def test_each_organisation_is_a_site_with_its_settings(kaznrtu_library, aru_library):
    kaznrtu = Organisation.for_page(kaznrtu_library)
    aru = Organisation.for_page(aru_library)
    assert kaznrtu.site != aru.site
    assert kaznrtu.site.root_page.get_children().first().pk == kaznrtu_library.pk
    assert (kaznrtu.code_prefix, kaznrtu.city) == ("ҚазҰТЗУ", "Алматы")
    assert aru.name_kk == "«Қ.Жұбанов атындағы Ақтөбе өңірлік университеті» КеАҚ"
    assert aru.ministry == "Қазақстан Республикасы Ғылым және жоғары білім министрлігі"


def test_code_is_unique_within_an_organisation(kaznrtu_library, aru_library):
    ProcedurePageFactory(parent=kaznrtu_library, code="ҚазҰТЗУ 715 ҚП", slug="a")
    twin = ProcedurePageFactory.build(code="ҚазҰТЗУ 715 ҚП", slug="b", number="715")
    twin.organisation = Organisation.for_page(kaznrtu_library)
    with pytest.raises(ValidationError) as caught:
        twin.clean()
    assert "ҚазҰТЗУ 715 ҚП" in str(caught.value.message_dict["code"])

    # The database refuses it too, whatever path the write takes.
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProcedurePageFactory(parent=kaznrtu_library, code="ҚазҰТЗУ 715 ҚП", slug="c")

    # Another organisation may use the same code.
    other = ProcedurePageFactory(parent=aru_library, code="ҚазҰТЗУ 715 ҚП", slug="a")
    assert other.organisation.short_name == "АӨУ"


def test_documents_without_code_do_not_clash(kaznrtu_library):
    ProcedurePageFactory(parent=kaznrtu_library, code="", slug="x")
    ProcedurePageFactory(parent=kaznrtu_library, code="", slug="y")


def test_organisation_home_shows_its_name(kaznrtu_library, client):
    home = kaznrtu_library.get_parent()
    html = visit(client, home).content.decode()
    assert "«Қ.И.Сәтбаев атындағы Қазақ ұлттық техникалық зерттеу университеті» КЕАҚ" in html
