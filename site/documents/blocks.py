"""StreamField blocks for the body of a controlled document.

The body is a list of numbered sections; a section holds clauses, paragraphs, bullet lists,
tables, terms, the abbreviations table, normative references, the forms list and the records
section. Numbers are kept exactly as printed (text, not integers): the mentor instruction's
section VII really is numbered 6.1, 6.2, and a document must say what it says.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class ClauseBlock(blocks.StructBlock):
    """A numbered clause or sub-clause ("3.1.5"); its depth follows from the number."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32)
    title = blocks.CharBlock(label=_("heading"), required=False, max_length=300)
    text = blocks.TextBlock(label=_("text"), required=False)
    items = blocks.ListBlock(blocks.TextBlock(label=_("item")), label=_("bullets"), default=[])

    class Meta:
        icon = "list-ol"
        label = _("Clause")
        template = "blocks/clause_block.html"


class ParagraphBlock(blocks.TextBlock):
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


class BulletsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.TextBlock(label=_("item")), **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("Bullet list")
        template = "blocks/bullets_block.html"


class TermBlock(blocks.StructBlock):
    """A defined term of section 3: "3.1.5 Эдвайзер – ..."."""

    number = blocks.CharBlock(label=_("number as printed"), max_length=32, required=False)
    term = blocks.CharBlock(label=_("term"), max_length=200)
    definition = blocks.TextBlock(label=_("definition"))
    items = blocks.ListBlock(blocks.TextBlock(label=_("item")), label=_("bullets"), default=[])

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
    document = blocks.PageChooserBlock(
        label=_("internal document"), page_type="documents.ControlledDocument", required=False
    )
    code = blocks.CharBlock(label=_("document code"), max_length=80, required=False)
    text = blocks.TextBlock(label=_("citation as printed"))

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

    intro = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Forms list")
        template = "blocks/forms_list_block.html"


class RecordsBlock(blocks.StructBlock):
    """The records section (ЖАЗБАЛАР): who keeps which records, under which procedure."""

    text = blocks.TextBlock(label=_("text"))
    procedure = blocks.PageChooserBlock(
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
        template = "blocks/section_block.html"


class DocumentBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
