"""Writes the demo's form templates (one DOCX per form of ҚазҰТЗУ 715 ҚП and the 713 forms it
cites) into ``kaznrtu/<number>.docx``. Run once by hand; the files are committed and
``manage.py demo`` attaches them (home/demo_forms.py). Needs python-docx (a test dependency):

    .venv/bin/python home/demo_data/forms/generate.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
ORGANISATION = "«Қ.И.Сәтбаев атындағы Қазақ ұлттық техникалық зерттеу университеті» КЕАҚ"
PLAN = ["№", "Іс-шараның атауы", "Мерзімі", "Жауапты", "Орындалуы туралы белгі"]

# number: (code, title, document it belongs to, table columns, blank rows)
FORMS = {
    "713-01": (
        "ҚазҰТЗУ 713-01 Ү",
        "Институттардың тәрбие жұмысы жоспары",
        "ҚазҰТЗУ 713 ҚП",
        PLAN,
        8,
    ),
    "713-02": (
        "ҚазҰТЗУ 713-02 Ү",
        "Кафедралардың тәрбие жұмысы жоспары",
        "ҚазҰТЗУ 713 ҚП",
        PLAN,
        8,
    ),
    "713-03": (
        "ҚазҰТЗУ 713-03 Ү",
        "Топтардың эдвайзерлерінің тәрбие жұмысы жоспары",
        "ҚазҰТЗУ 713 ҚП",
        ["№", "Іс-шараның атауы", "Тобы", "Мерзімі", "Эдвайзер", "Орындалуы туралы белгі"],
        8,
    ),
    "713-04": (
        "ҚазҰТЗУ 713-04 Ү",
        "Эдвайзерлік жұмыс журналы",
        "ҚазҰТЗУ 713 ҚП",
        ["№", "Күні", "Студенттің аты-жөні, тобы", "Шараның атауы", "Кеңестің мазмұны", "Қолы"],
        10,
    ),
    "715-01": (
        "ҚазҰТЗУ 715-01 Ү",
        "МЗТО-дан анықтама (әлеуметтік жәрдемақы алу үшін)",
        "ҚазҰТЗУ 715 ҚП",
        ["Деректер", "Мәні"],
        0,
    ),
    "715-02": (
        "ҚазҰТЗУ 715-02 Ү",
        "Эдвайзердің жұмыс жоспары",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Айы", "Жұмыс түрі, іс-шара", "Тобы", "Орындалуы туралы белгі"],
        10,
    ),
    "715-03": (
        "ҚазҰТЗУ 715-03 Ү",
        "Эдвайзерлер тізімі",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Эдвайзердің аты-жөні", "Лауазымы", "Кафедра", "Топтары"],
        10,
    ),
    "715-04": (
        "ҚазҰТЗУ 715-04 Ү",
        "Бірыңғай студенттік билет",
        "ҚазҰТЗУ 715 ҚП",
        ["Деректер", "Мәні"],
        0,
    ),
    "715-05": (
        "ҚазҰТЗУ 715-05 Ү",
        "Жаңадан қабылданған студенттерге билет беру тізімі",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Студенттің аты-жөні", "Тобы", "Билет нөмірі", "Берілген күні", "Студенттің қолы"],
        12,
    ),
    "715-06": (
        "ҚазҰТЗУ 715-06 Ф",
        "Старосталар тізімі",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Тобы", "Старостаның аты-жөні", "Телефоны", "Эдвайзер"],
        10,
    ),
    "715-07": (
        "ҚазҰТЗУ 715-07 Ү",
        "Эдвайзерлердің апта сайынғы кеңестерінің кестесі",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Эдвайзердің аты-жөні", "Тобы", "Апта күні", "Уақыты", "Аудитория"],
        10,
    ),
    "715-08": (
        "ҚазҰТЗУ 715-08 Ү",
        "Эдвайзер кеңестерінің хаттамалары",
        "ҚазҰТЗУ 715 ҚП",
        ["№", "Күн тәртібіндегі мәселе", "Тыңдалды", "Шешім", "Жауапты", "Мерзімі"],
        6,
    ),
}

# Forms that are a certificate or a card rather than a list: the rows they ask for.
FIELDS = {
    "715-01": [
        "Студенттің тегі, аты, әкесінің аты",
        "Институты, мамандығы, курсы, тобы",
        "Оқу нысаны (грант / ақылы)",
        "Анықтама берілген орын",
        "Берілген күні",
    ],
    "715-04": [
        "Тегі, аты, әкесінің аты",
        "Институты",
        "Мамандығы",
        "Тобы",
        "Билет нөмірі",
        "Берілген күні",
        "Жарамдылық мерзімі",
    ],
}


def write(number: str) -> Path:
    code, title, document, columns, blank_rows = FORMS[number]
    doc = Document()
    doc.core_properties.title = f"{code} {title}"
    doc.core_properties.author = "Sapa demo"
    top = doc.add_paragraph(code)
    top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(ORGANISATION).alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = doc.add_heading(f"{code} {title}", level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{document} бойынша үлгі. ____-____ оқу жылы")
    rows = FIELDS.get(number)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(10)
    if rows:
        for label in rows:
            cells = table.add_row().cells
            cells[0].text = label
    else:
        for n in range(1, blank_rows + 1):
            table.add_row().cells[0].text = str(n)
    doc.add_paragraph()
    doc.add_paragraph("Толтырған: ____________________   Қолы: ____________   Күні: ____________")
    path = HERE / "kaznrtu" / f"{number}.docx"
    path.parent.mkdir(exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    for number in FORMS:
        print(write(number))
