"""StreamField blocks for the body of a controlled document.

The body is a list of numbered sections; a section holds clauses, paragraphs, bullet lists,
tables, terms, the abbreviations table, normative references, the forms list and the records
section. Numbers are kept exactly as printed (text, not integers): the mentor instruction's
section VII really is numbered 6.1, 6.2, and a document must say what it says.
"""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class TextBlock(blocks.TextBlock):
    """Wagtail's TextBlock, its line breaks kept as stored ("\n"). A browser sends those of a
    textarea as "\r\n": every save of an untouched text with a line break changed it, so an
    agreer who only agreed in the editor saved a draft in their name, and the agreers were
    shown a change (a space) where there was none."""

    def value_from_form(self, value):
        value = super().value_from_form(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    def deconstruct(self):
        # The same stored value as Wagtail's, and so the same migrations.
        path, args, kwargs = super().deconstruct()
        if type(self) is TextBlock:
            path = "wagtail.blocks.TextBlock"
        return path, args, kwargs


class LinesBlock(blocks.FieldBlock):
    """Bullet items edited as the lines of one text area, one bullet a line; the value is a
    list of strings, stored as the importer writes it.

    Why not a ListBlock: Wagtail's form posts five fields per list item (value, type, id,
    order, deleted) and draws a block with its own buttons for each, so the 62 bullets of
    ҚазҰТЗУ 715 ҚП were 310 of the 1,161 fields its edit form posted (Django refuses more than
    DATA_UPLOAD_MAX_NUMBER_FIELDS) and a quarter of the blocks the browser built. One text
    area posts one field. Earlier values saved by the ListBlock ({"type": "item", "value":
    …}) are still read."""

    def __init__(self, required=False, help_text=None, search_index=True, **kwargs):
        self.field_options = {"required": required, "help_text": help_text}
        self.search_index = search_index
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        from wagtail.admin.widgets import AdminAutoHeightTextInput

        return forms.CharField(widget=AdminAutoHeightTextInput(), **self.field_options)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def get_default(self) -> list[str]:
        return []

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            return self.lines(value)
        return [
            str(item.get("value") or "") if isinstance(item, dict) else str(item) for item in value
        ]

    def normalize(self, value) -> list[str]:
        return self.to_python(value)

    def get_prep_value(self, value) -> list[str]:
        return self.to_python(value)

    def value_for_form(self, value) -> str:
        # A line is a bullet: a line break inside an item (never shown) becomes a space.
        return "\n".join(" ".join(item.splitlines()) for item in self.to_python(value))

    def value_from_form(self, value) -> list[str]:
        return self.lines(value)

    def get_searchable_content(self, value) -> list[str]:
        return self.to_python(value) if self.search_index else []

    def get_api_representation(self, value, context=None) -> list[str]:
        return self.to_python(value)

    def render_basic(self, value, context=None):
        items = self.to_python(value)
        if not items:
            return ""
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
        )

    def get_comparison_class(self):
        from wagtail.admin.compare import CharBlockComparison

        class LinesComparison(CharBlockComparison):
            def __init__(self, block, exists_a, exists_b, val_a, val_b):
                super().__init__(
                    block,
                    exists_a,
                    exists_b,
                    block.value_for_form(val_a),
                    block.value_for_form(val_b),
                )

            def htmlvalue(self, val):
                return escape(val if isinstance(val, str) else self.block.value_for_form(val))

        return LinesComparison

    class Meta:
        icon = "list-ul"


class PageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser block with its "Choose a page (…)" button in each editor's
    language. Wagtail builds a block's widget once and keeps it as long as the page class
    lives, so every editor read it in the language of the first one who opened a page.

    Stored and migrated as Wagtail's own block: only the widget differs."""

    def _for_language(self, name: str, build):
        cache = self.__dict__.setdefault("_by_language", {})
        key = (name, translation.get_language())
        if key not in cache:
            cache[key] = build()
        return cache[key]

    @property
    def widget(self):
        from wagtail.admin.widgets import AdminPageChooser

        return self._for_language(
            "widget",
            lambda: AdminPageChooser(
                target_models=self.target_models, can_choose_root=self.can_choose_root
            ),
        )

    @property
    def field(self):
        return self._for_language(
            "field",
            lambda: forms.ModelChoiceField(
                queryset=self.model_class.objects.all(),
                widget=self.widget,
                required=self._required,
                validators=self._validators,
                help_text=self._help_text,
            ),
        )

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.PageChooserBlock", args, kwargs


class ClauseBlock(blocks.StructBlock):
    """A numbered clause or sub-clause ("3.1.5"); its depth follows from the number."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32)
    title = blocks.CharBlock(label=_("heading"), required=False, max_length=300)
    text = TextBlock(label=_("text"), required=False)
    items = LinesBlock(label=_("bullets"), help_text=_("One bullet a line."))

    class Meta:
        icon = "list-ol"
        label = _("Clause")
        template = "blocks/clause_block.html"


class ParagraphBlock(TextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph_block.html"


class SubheadingBlock(blocks.StructBlock):
    """An unnumbered sub-heading inside a section (e.g. "Жатақхана беру")."""

    title = blocks.CharBlock(label=_("heading"), max_length=300)

    class Meta:
        icon = "title"
        label = _("Sub-heading")
        template = "blocks/subheading_block.html"


class BulletsBlock(LinesBlock):
    """A bullet list between paragraphs (one bullet a line, see LinesBlock)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("One bullet a line."))
        super().__init__(required=True, **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("Bullet list")
        template = "blocks/bullets_block.html"


class TermBlock(blocks.StructBlock):
    """A defined term of section 3: "3.1.5 Эдвайзер – ..."."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32, required=False)
    term = blocks.CharBlock(label=_("term"), max_length=200)
    definition = TextBlock(label=_("definition"))
    items = LinesBlock(label=_("bullets"), help_text=_("One bullet a line."))

    class Meta:
        icon = "help"
        label = _("Term")
        template = "blocks/term_block.html"


class AbbreviationBlock(blocks.StructBlock):
    abbr = blocks.CharBlock(label=_("abbreviation"), max_length=40)
    meaning = blocks.CharBlock(label=_("meaning"), max_length=300)


class AbbreviationsBlock(blocks.StructBlock):
    """The abbreviations table (белгілеулер, қысқартулар)."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32, required=False)
    title = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    rows = blocks.ListBlock(AbbreviationBlock(), label=_("abbreviations"))

    class Meta:
        icon = "table"
        label = _("Abbreviations")
        template = "blocks/abbreviations_block.html"


class ReferenceBlock(blocks.StructBlock):
    """A normative reference: an internal document by code, or an external citation."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32, required=False)
    document = PageChooserBlock(
        label=_("internal document"), page_type="documents.ControlledDocument", required=False
    )
    code = blocks.CharBlock(label=_("document code"), max_length=80, required=False)
    text = TextBlock(label=_("citation as printed"))

    class Meta:
        icon = "link"
        label = _("Normative reference")
        template = "blocks/reference_block.html"


class DocumentTableBlock(TableBlock):
    class Meta:
        icon = "table"
        label = _("Table")


class FormsListBlock(blocks.StructBlock):
    """Where the document lists its forms; the list itself comes from the form objects."""

    intro = TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Forms list")
        template = "blocks/forms_list_block.html"


class RecordsBlock(blocks.StructBlock):
    """The records section (ЖАЗБАЛАР): who keeps which records, under which procedure."""

    text = TextBlock(label=_("text"))
    procedure = PageChooserBlock(
        label=_("records procedure"), page_type="documents.ControlledDocument", required=False
    )

    class Meta:
        icon = "folder-open-inverse"
        label = _("Records")
        template = "blocks/records_block.html"


class SectionContentBlock(blocks.StreamBlock):
    clause = ClauseBlock()
    paragraph = ParagraphBlock()
    subheading = SubheadingBlock()
    bullets = BulletsBlock()
    term = TermBlock()
    abbreviations = AbbreviationsBlock()
    reference = ReferenceBlock()
    table = DocumentTableBlock()
    forms_list = FormsListBlock()
    records = RecordsBlock()


class SectionBlock(blocks.StructBlock):
    """A numbered section ("1", "7", "VII") with its title as printed."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=16)
    title = blocks.CharBlock(label=_("title"), max_length=300)
    content = SectionContentBlock(label=_("content"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Section")
        label_format = "{number} {title}"
        template = "blocks/section_block.html"


class DocumentBodyBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        collapsed = True
