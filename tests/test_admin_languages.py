"""The Wagtail admin the quality office works in speaks the chosen interface language (kk, ru,
en) on its sign-in page, dashboard, page editor, snippets and Sapa's own screens: Wagtail's and
Django's strings through Wagtail's catalogues and the Kazakh (and the few Russian) Sapa
supplies in ``site/locale_upstream``, Sapa's labels through English msgids."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from sapa.documents.models import QmsForm

pytestmark = pytest.mark.django_db

BROWSER = {"kk": "kk-KZ,kk;q=0.9", "ru": "ru-RU,ru;q=0.9", "en": "en-GB,en;q=0.9"}


def client_in(language: str, user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=BROWSER[language])
    if user is not None:
        client.force_login(user)
    return client


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def procedure(demo_content):
    return demo_content["documents"][0]


@pytest.fixture
def quality(demo_content):
    return demo_content["users"]["quality"]


SIGN_IN = {
    "kk": ["Wagtail жүйесіне кіру", "Құпиясөз", "Кіру"],
    "ru": ["Войти в Wagtail", "Пароль", "Войти"],
    "en": ["Sign in to Wagtail", "Password", "Sign in"],
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_sign_in_page_speaks_the_chosen_language(language, users):
    page = html(client_in(language), "/admin/login/")
    assert f'<html lang="{language}"' in page
    for text in SIGN_IN[language]:
        assert text in page
    # the password field's label was Django's field name, "Password", in every language
    label = re.search(r'<label[^>]*for="id_password"[^>]*>\s*([^<]+)', page).group(1).strip()
    assert label == SIGN_IN[language][1]
    if language != "en":
        assert "Sign in to Wagtail" not in page and "Password" not in label


DASHBOARD = {
    "kk": {"menu": ["Беттер", "Есептер"], "search": "Іздеу", "never": ["Pages", "Reports"]},
    "ru": {"menu": ["Страницы", "Отчеты"], "search": "Поиск", "never": ["Беттер", "Pages"]},
    "en": {"menu": ["Pages", "Reports"], "search": "Search", "never": ["Беттер", "Страницы"]},
}


def menu_labels(page: str) -> set[str]:
    """The labels of the admin's sidebar menu (drawn from JSON by Wagtail's scripts)."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S)
    labels: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return labels


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_dashboard_speaks_the_chosen_language(language, quality):
    page = html(client_in(language, quality), "/admin/")
    expected = DASHBOARD[language]
    labels = menu_labels(page)
    assert set(expected["menu"]) <= labels
    assert not set(expected["never"]) & labels
    # the dashboard's search button, read out by screen readers ("Search" in every language)
    assert f'value="{expected["search"]}"' in page


EDITOR = {
    "kk": {
        "shows": [
            "Жобаны сақтау",  # Save draft
            "Басқа әрекеттер",  # More actions
            'aria-label="Әрекеттер"',
            "Әрекеттер (төменгі панель)",
            "КЕЛІСІЛДІ",  # Agreed by, as the approval sheet prints it
            "БЕКІТІЛДІ",
            "өзгеріс қосу",  # Add change
        ],
        "never": ["Save draft", "More actions", 'aria-label="Actions"', "Add өзгеріс"],
    },
    "ru": {
        "shows": [
            "Сохранить черновик",
            "Больше действий",
            'aria-label="Действия"',
            "Действия (нижняя панель)",  # Wagtail's Russian lacks it: Sapa supplies it
            "СОГЛАСОВАНО",
            "УТВЕРЖДЕНО",
            "Лист регистрации изменений",
            "Добавить изменение",
        ],
        # Kazakh came where Wagtail's Russian is missing (Django falls back to the default
        # language), and in the labels that carried Kazakh in parentheses
        "never": ["Әрекеттер", "Жобаны сақтау", "КЕЛІСІЛДІ)", "БЕКІТІЛДІ)", "Save draft"],
    },
    "en": {
        "shows": [
            "Save draft",
            "More actions",
            "Actions (footer)",
            "Agreed by",
            "Approved by order",
            "Revision register",
            "Add change",
        ],
        "never": ["(КЕЛІСІЛДІ)", "(БЕКІТІЛДІ)", "(ӘЗІРЛЕНДІ)", "(Өзгерістерді тіркеу парағы)"],
    },
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_editor_of_715_speaks_the_chosen_language(language, procedure, quality):
    page = html(client_in(language, quality), f"/admin/pages/{procedure.pk}/edit/")
    for text in EDITOR[language]["shows"]:
        assert text in page, text
    for text in EDITOR[language]["never"]:
        assert text not in page, text
    # the body's panel names the language of the document's own text
    assert 'data-content-lang="kk"' in page


def test_a_snippet_form_speaks_each_readers_language_whatever_language_came_first(quality):
    """Wagtail builds a snippet's form class once, when its URLs load, and a chooser formats
    "Choose a page (…)" then: every reader got the language of the first request."""
    form = QmsForm.objects.filter(owning_document__isnull=False).first()
    url = f"/admin/snippets/documents/qmsform/edit/{form.pk}/"
    expected = {
        "kk": "Бетті таңдау (Басқарылатын құжат)",
        "ru": "Выберите страницу (Управляемый документ)",
        "en": "Choose a page (Controlled document)",
    }
    for language in ["kk", "en", "ru", "kk", "en"]:
        page = html(client_in(language, quality), url)
        assert expected[language] in page, language
        assert not [
            other for other in expected.values() if other in page and other != expected[language]
        ]


def test_a_records_form_speaks_each_readers_language(quality):
    url = "/admin/recordseries/new/"
    english = html(client_in("en", quality), url)
    kazakh = html(client_in("kk", quality), url)
    russian = html(client_in("ru", quality), url)
    assert "Choose unit" in english and "Бөлімше таңдау" not in english
    assert "бөлімше таңдау" in kazakh.lower() and "Choose unit" not in kazakh
    assert "Выбрать подразделение" in russian and "таңдау" not in russian


def test_the_russian_add_buttons_read_right_whatever_the_models_name(quality):
    """Wagtail's Russian "Добавить %(model_name)s" put the name in the nominative: "Добавить
    серия записей", "Добавить политика ведения записей"."""
    page = html(client_in("ru", quality), "/admin/recordseries/")
    label = re.search(r"Добавить[^<]*серия записей", page)
    assert label and label.group(0) == "Добавить: серия записей"


def test_the_russian_usage_line_reads_right_whatever_the_models_name(procedure, quality):
    """Wagtail's Russian "На %(model_name)s ссылались N раз" put the name in the nominative:
    a tester read "На документированная процедура ссылались 8 раз" when withdrawing 715."""
    page = " ".join(
        html(client_in("ru", quality), f"/admin/pages/{procedure.pk}/unpublish/").split()
    )
    assert re.search(r"Ссылки на этот объект \(документированная процедура\): \d+\.", page), page
    assert "На документированная процедура" not in page


@pytest.mark.parametrize(("language", "yes"), [("kk", "Иә"), ("ru", "Да"), ("en", "Yes")])
def test_unit_members_say_who_heads_the_unit_in_words(language, yes, quality, demo_content):
    from sapa.documents.models import Unit, UnitMember

    unit = Unit.objects.filter(organisation__short_name="ҚазҰТЗУ").first() or Unit.objects.first()
    UnitMember.objects.get_or_create(user=quality, unit=unit, defaults={"is_head": True})
    page = html(client_in(language, quality), "/admin/snippets/documents/unitmember/")
    assert f">{yes}<" in re.sub(r">\s+|\s+<", lambda m: m.group(0).strip(), page)
    assert ">True<" not in page and ">False<" not in page


def test_the_new_edition_form_explains_its_empty_label_in_the_readers_language(procedure, quality):
    url = f"/admin/documents/{procedure.pk}/new-edition/"
    russian = html(client_in("ru", quality), url)
    assert "Оставьте пустым для «издание №N»." in russian
    assert "«№N басылым»" not in russian
    english = html(client_in("en", quality), url)
    assert "Leave empty for «No. N edition»." in english
    assert "«№N басылым» болса, бос қалдырыңыз." in html(client_in("kk", quality), url)


def test_the_page_types_report_marks_app_codes_as_not_to_be_translated(quality):
    page = html(client_in("ru", quality), "/admin/reports/page-types-usage/")
    assert re.search(
        r'<td class="app-label"[^>]*translate="no"[^>]*>\s*documents\.procedurepage', page
    )
    assert "Документированная процедура" in page or "документированная процедура" in page.lower()


def test_the_admin_page_search_counts_pages_not_none(quality):
    page = html(client_in("en", quality), "/admin/pages/search/?q=715")
    header = re.search(r'<th class="title">(.*?)</th>', page, re.S).group(1)
    assert "None" not in header
    assert re.search(r"1-1 of 1 page\b", header)


def test_the_comparison_marks_the_documents_text_and_words_dates_and_empty_values(
    procedure, quality
):
    """What an agreer reads before agreeing: Wagtail printed a new register row's empty
    notice date as "None" and its dates as 2017-09-15; the document's own text is content."""
    from tests.documents.helpers import draft_of, set_clause_text
    from tests.factories.documents import register_row

    draft = draft_of(procedure)
    set_clause_text(draft, "5.1", "Жаңа мәтін: Call-center арқылы кеңес беріледі.")
    draft.register_entries = [
        *draft.register_entries.all(),
        register_row("1", section_clause="5.1", notice_number="", notice_date=None),
    ]
    revision = draft.save_revision(user=quality)
    url = f"/admin/pages/{procedure.pk}/revisions/compare/live...{revision.pk}/"
    expected = {
        "kk": ("«15» 09 2017 ж.", "өзгерту"),
        "ru": ("«15» сентября 2017 г.", "изменение"),
        "en": ("15 September 2017", "modify"),
    }
    for language, (day, kind) in expected.items():
        page = html(client_in(language, quality), url)
        table = page[page.index('<table class="listing') :]
        assert ">None<" not in table and "2017-09-15" not in table
        assert day in table and kind in table
        # the changed clause is the document's Kazakh text, marked so
        changed = table.index("Call-center")
        opening = table.rindex('<div lang="kk" translate="no">', 0, changed)
        assert "</td>" not in table[opening:changed]


@pytest.mark.parametrize(("language", "label"), [("ru", "Комментарий"), ("en", "Comment")])
def test_the_comment_of_a_workflow_action_is_labelled_in_the_readers_language(language, label):
    """Wagtail's comment form translates its label once, when it is imported (Kazakh here):
    the approval dialog said "Түсініктеме" to a Russian reader."""
    from django.utils import translation

    from sapa.documents.models import AgreementTask, ApprovalTask

    with translation.override(language):
        for task, action in [
            (AgreementTask, "reject"),
            (AgreementTask, "approve_with_comment"),
            (ApprovalTask, "approve"),
            (ApprovalTask, "reject"),
        ]:
            form = task().get_form_for_action(action)()
            # The approval's comment says what a change's notice does with it.
            assert str(form.fields["comment"].label).startswith(label), (task, action)


def test_the_body_blocks_choosers_speak_each_editors_language(procedure, quality):
    """A normative reference's "Choose a page (…)" was built once, in the first editor's
    language, and kept for every later one."""
    url = f"/admin/pages/{procedure.pk}/edit/"
    expected = {
        "kk": "Бетті таңдау (Басқарылатын құжат)",
        "en": "Choose a page (Controlled document)",
        "ru": "Выберите страницу (Управляемый документ)",
    }
    for language in ["kk", "en", "ru", "kk"]:
        page = html(client_in(language, quality), url)
        for other, text in expected.items():
            shown = json.dumps(text)[1:-1] in page  # inside the blocks' JSON definitions
            assert shown == (other == language), (language, text)


@pytest.mark.parametrize(("language", "words"), [("ru", "[а-яё]"), ("en", "[a-z]")])
def test_a_chooser_modal_is_titled_in_the_readers_language(language, words, quality):
    """Wagtail's chooser viewsets translate "Choose" and their modal's tabs once, at import:
    a Russian or English reader got the Kazakh "Таңдау"."""
    for url in ["/admin/snippets/choose/documents/unit/", "/admin/documents/agreers/"]:
        response = client_in(language, quality).get(url)
        assert response.status_code == 200, url
        modal = response.json()["html"]
        title = re.sub(r"<[^>]+>", " ", re.search(r"<h1.*?</h1>", modal, re.S).group(0))
        assert re.search(words, title, re.I) and not re.search("[әғқңөұүһі]", title), title
        assert "Таңдау" not in modal and "Іздеу" not in modal, url


def test_a_documents_index_entries_name_their_state_and_mark_ids_as_codes(procedure, quality):
    from search.backends import get_backend
    from search.indexing import index_object

    index_object(f"document:{procedure.pk}", get_backend())
    page = html(client_in("kk", quality), f"/admin/search/index/document:{procedure.pk}/")
    assert '<code translate="no">clause:' in page
    cells = re.findall(
        r'<tr class="index-(\w+)"><td><code[^>]*>[^<]*</code></td><td>([^<]*)</td>', page
    )
    assert cells and all(state != text for state, text in cells)  # "өзекті", not "fresh"
    assert ("fresh", "өзекті") in cells
