"""Page types: the document library and the controlled documents in it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, Revision, Site
from wagtail.search import index

from sapa.localisation.pages import InLanguages

from ..admin_forms import ControlledDocumentForm
from ..blocks import DocumentBodyBlock
from ..body_cache import outline_of
from ..choosers import AgreerChooserWidget
from ..compare import change_diff_response, edition_diff_response
from ..orders import order_number
from ..outline import anchors_by_position, build_outline
from ..panels import ContentFieldPanel, ScheduledPublicationPanel
from .organisations import Organisation


class DocumentKind(models.TextChoices):
    """Kinds of controlled document. A new kind (ереже, саясат) is a new choice here and a
    small page class below; nothing else changes."""

    PROCEDURE = "procedure", _("Documented procedure")
    JOB_INSTRUCTION = "job_instruction", _("Job instruction")


class Validity(models.TextChoices):
    UNTIL_REPLACED = "until_replaced", _("until replaced by a new one")
    REVIEW_DATE = "review_date", _("until a review date")


class DocumentLibraryPage(InLanguages, RoutablePageMixin, Page):
    """An organisation's library of controlled documents."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InLanguages.languages_panel]
    subpage_types = ["documents.ProcedurePage", "documents.JobInstructionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("document library")
        verbose_name_plural = _("document libraries")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import library_listing  # selectors imports the models; Wagtail's hook

        context = super().get_context(request, *args, **kwargs)
        context.update(library_listing(library=self, params=request.GET))
        return context

    @path("forms/<int:form_id>/", name="form")
    def form_detail(self, request: HttpRequest, form_id: int):
        from ..selectors import form_detail  # selectors imports the models; a Wagtail route

        detail = form_detail(library=self, form_id=form_id)
        if detail is None:
            raise Http404
        context = self.get_context(request)
        context.update(detail)
        return TemplateResponse(request, "documents/form_detail.html", context)


class ControlledDocument(RoutablePageMixin, Page):
    """A controlled QMS document: its identity, current edition, approval sheet and body.

    Not creatable itself: each kind is a subclass (``ProcedurePage``, ``JobInstructionPage``).
    The page holds the edition being drafted or in force; editions that were in force before
    are kept as ``Edition`` rows pointing at the revision that carried them.
    """

    kind_value: str = ""
    kind_label_kk: str = ""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=DocumentKind.choices, editable=False, db_index=True
    )
    code = models.CharField(
        _("code"),
        max_length=80,
        blank=True,
        help_text=_("As printed, e.g. ҚазҰТЗУ 715 ҚП. Unique within the organisation."),
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (en)"), max_length=300, blank=True)
    qms_level = models.CharField(
        _("QMS level"), max_length=100, blank=True, help_text=_("As printed on the title page.")
    )
    owning_unit = models.ForeignKey(
        "documents.Unit",
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )

    edition_number = models.PositiveIntegerField(_("edition number"), null=True, blank=True)
    edition_version = models.CharField(
        _("version"),
        max_length=20,
        blank=True,
        help_text=_("For documents numbered by version, e.g. 2.0"),
    )
    edition_label = models.CharField(
        _("edition as printed"),
        max_length=100,
        help_text=_("As printed, e.g. «No. 1 edition» or «version 2.0»."),
    )
    edition_date = models.DateField(_("edition date"), null=True, blank=True)
    effective_date = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("The day this edition comes into force; publication is scheduled for it."),
    )
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.UNTIL_REPLACED
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: the organisation's interval."),
    )
    title_page_year = models.PositiveSmallIntegerField(
        _("year on the title page"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_(
            "As printed under the city («Ақтөбе, 2025 ж.»). Empty: the year of the edition's "
            "date, approval or development."
        ),
    )
    introduced_first_time = models.BooleanField(_("introduced for the first time"), default=True)
    replaces_edition = models.CharField(
        _("replaces edition"),
        max_length=100,
        blank=True,
        help_text=_("As printed, e.g. «No. 1 edition»."),
    )

    developed_unit = models.CharField(_("developed by: unit"), max_length=300, blank=True)
    developed_position = models.CharField(_("developed by: position"), max_length=300, blank=True)
    developed_person = models.CharField(_("developed by: person"), max_length=200, blank=True)
    developed_date = models.DateField(_("developed by: date"), null=True, blank=True)

    approval_order_number = models.CharField(_("approval order number"), max_length=50, blank=True)
    approval_order_date = models.DateField(_("approval order date"), null=True, blank=True)
    approver_position = models.CharField(_("approved by: position"), max_length=300, blank=True)
    approver_name = models.CharField(_("approved by: person"), max_length=200, blank=True)

    body = StreamField(DocumentBodyBlock(), verbose_name=_("body"), blank=True)

    # The admin's page search asks the backend's autocomplete, which reads AutocompleteFields
    # only: without these, "715" or "ҚазҰТЗУ 715 ҚП" found nothing there.
    search_fields = [
        *Page.search_fields,
        index.SearchField("code"),
        index.AutocompleteField("code"),
        index.AutocompleteField("number"),
        index.SearchField("title_ru"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("organisation"),
    ]

    identity_panels = [
        ScheduledPublicationPanel(),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("number")]),
        FieldRowPanel([FieldPanel("title_ru"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("qms_level"), FieldPanel("owning_unit")]),
    ]
    edition_panels = [
        FieldRowPanel(
            [
                FieldPanel("edition_number"),
                FieldPanel("edition_version"),
                FieldPanel("edition_label"),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel("edition_date"),
                FieldPanel("effective_date"),
                FieldPanel("title_page_year"),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel("validity"),
                FieldPanel("review_date"),
                FieldPanel("review_interval_months"),
            ]
        ),
        FieldRowPanel([FieldPanel("introduced_first_time"), FieldPanel("replaces_edition")]),
    ]
    approval_panels = [
        MultiFieldPanel(
            [
                FieldPanel("developed_unit"),
                FieldRowPanel([FieldPanel("developed_position"), FieldPanel("developed_person")]),
                FieldPanel("developed_date"),
            ],
            heading=_("Developed by"),
        ),
        InlinePanel("agreed_by", heading=_("Agreed by"), label=_("agreer")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("approval_order_number"), FieldPanel("approval_order_date")]
                ),
                FieldRowPanel([FieldPanel("approver_position"), FieldPanel("approver_name")]),
            ],
            heading=_("Approved by order"),
        ),
    ]
    register_panels = [
        InlinePanel(
            "register_entries",
            heading=_("Revision register"),
            label=_("change"),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(identity_panels, heading=_("Document")),
            ObjectList(edition_panels, heading=_("Edition")),
            ObjectList(approval_panels, heading=_("Approval sheet")),
            ObjectList([ContentFieldPanel("body")], heading=_("Text")),
            ObjectList(register_panels, heading=_("Register")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["documents.DocumentLibraryPage"]
    subpage_types: list[str] = []
    is_creatable = False
    base_form_class = ControlledDocumentForm

    class Meta:
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="document_code_unique_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    # --- identity -------------------------------------------------------------------------

    @property
    def edition_key(self) -> str:
        """What names the edition in URLs and registers: its number, else its version."""
        if self.edition_number:
            return str(self.edition_number)
        return self.edition_version.strip()

    def resolve_organisation(self) -> Organisation | None:
        if self.path:
            return Organisation.for_page(self)
        return None

    def clean(self) -> None:
        super().clean()
        # The approval sheet prints "№" before the number: typed with it, it read "№№254-Б".
        self.approval_order_number = order_number(self.approval_order_number)
        errors: dict[str, list[str]] = {}
        if not self.edition_number and not self.edition_version.strip():
            errors.setdefault("edition_number", []).append(
                _("Give the edition number or the version (for example 1 or 2.0).")
            )
        if self.validity == Validity.REVIEW_DATE and not self.review_date:
            errors.setdefault("review_date", []).append(_("A review date is required."))
        organisation = self.organisation or self.resolve_organisation()
        code = self.code.strip()
        if code and organisation is not None:
            clash = (
                ControlledDocument.objects.filter(organisation=organisation, code=code)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                errors.setdefault("code", []).append(
                    _("The code %(code)s is already used by «%(title)s» in this organisation.")
                    % {"code": code, "title": clash.title}
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.kind = self.kind_value or self.kind
        self.code = self.code.strip()
        if self.organisation_id is None and self.path:
            self.organisation = self.resolve_organisation()
        return super().save(*args, **kwargs)

    # --- publication ----------------------------------------------------------------------

    def publish(self, revision, user=None, **kwargs):
        """Every publication path (admin, workflow, scheduler, services) comes through here:
        check the edition and register rules first, then record the edition once it is live."""
        # services imports the models; Wagtail publishes every way through this method
        from ..services import edition_check_publication, edition_record_publication

        edition_check_publication(document=self, candidate=revision.as_object())
        result = super().publish(revision, user=user, **kwargs)
        fresh = ControlledDocument.objects.get(pk=self.pk)
        if fresh.live and fresh.live_revision_id == revision.pk:
            edition_record_publication(document=fresh.specific, revision=revision, user=user)
        return result

    # --- reading --------------------------------------------------------------------------

    @cached_property
    def outline(self):
        return build_outline(self.body)

    @property
    def current_edition(self):
        return self.editions.filter(status="in_force").first()

    def edition_in_force_on(self, day: datetime.date):
        """The edition of this document that was in force on ``day``, or None."""
        return self.editions.model.objects.in_force_on(document=self, day=day)

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        """A preview (the editor's, an agreer's) reads in the language of the admin it is
        asked from: Wagtail's preview request carries the session, not the browser's
        languages (``localisation.middleware`` reads ``preview_language``)."""
        attrs = {"preview_language": translation.get_language(), **(extra_request_attrs or {})}
        return super().make_preview_request(original_request, preview_mode, attrs)

    def get_context(self, request, *args, edition=None, as_of_revision_id=None, **kwargs):
        # rendering and selectors import the models; Wagtail calls get_context to serve the page
        from ..rendering.views import official_pdf
        from ..selectors import document_reading_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            document_reading_context(
                document=self,
                edition=edition,
                as_of_revision_id=as_of_revision_id,
                preview=getattr(request, "is_preview", False) and edition is None,
            )
        )
        # the outline is kept per body text (documents.body_cache), as the rendered body is
        if "outline" not in self.__dict__:
            self.__dict__["outline"] = outline_of(self)
        context["anchors"] = anchors_by_position(self.outline)
        context["document_page"] = self
        if getattr(request, "is_preview", False) and edition is None:
            # A draft (or a revision) shown in the admin: the PDF in force is another text.
            context["official_pdf"] = {"draft": True}
        else:
            context["official_pdf"] = official_pdf(
                document=self, edition=edition, as_of_revision_id=as_of_revision_id
            )
        return context

    def _get_dummy_header_url(self, original_request=None):
        """Where the admin's preview is rendered as if asked: Wagtail takes the page's own
        site ("kaznrtu.localhost"), so its links were relative to that site and led nowhere
        in an admin read on another host ("/docs/715-kp/editions/" on the portal's). When the
        site the admin is read on holds the page too (the portal holds every university),
        the preview is rendered there."""
        if original_request is not None:
            site = Site.find_for_request(original_request)
            relative = self.relative_url(site, original_request) if site else None
            if relative and relative.startswith("/"):
                return original_request.build_absolute_uri(relative)
        return super()._get_dummy_header_url(original_request)

    @path("")
    def index_route(self, request: HttpRequest, *args, **kwargs):
        """The text in force. A signed-in person's GET of it is what opens their
        familiarisation tasks for it; confirming is possible only after that."""
        from ..familiarisation import record_opening  # imports the models; a Wagtail route

        record_opening(request=request, document=self)
        return super().index_route(request, *args, **kwargs)

    def _edition_for(self, key: str):
        """The edition named ``key`` in a URL: "1", "2-0" (or "2.0") for version 2.0."""
        for edition in self.editions.select_related("revision"):
            if key in (edition.key, edition.url_key):
                return edition
        return None

    def _snapshot(self, revision):
        """``revision.as_object()`` for a revision of this page, without fetching this page
        again: once for the revision's object and once per child row (КЕЛІСІЛДІ lines), which
        modelcluster checks still exists; the rows are given back to the snapshot all the
        same. Their other links (a user) are still checked."""
        if revision.object_id != str(self.pk):
            return revision.as_object()
        content = dict(revision.content)
        for relation in get_all_child_relations(self):
            name, parent_key = relation.get_accessor_name(), relation.field.name
            if isinstance(content.get(name), list):
                content[name] = [
                    {**child, parent_key: None} if isinstance(child, dict) else child
                    for child in content[name]
                ]
        return self.with_content_json(content)

    def _earlier_text_response(self, request: HttpRequest, revision, **extra):
        """An earlier published text, read-only, under its banner. Links are built from the
        live page (``document_page``), so they follow the page if it moved since."""
        snapshot = self._snapshot(revision)
        context = snapshot.get_context(
            request, edition=extra["edition"], as_of_revision_id=revision.pk
        )
        context.update({"page": snapshot, "self": snapshot, "document_page": self, **extra})
        return TemplateResponse(request, self.get_template(request), context)

    @path("editions/", name="editions")
    def editions_view(self, request: HttpRequest):
        context = self.get_context(request)
        context["editions"] = list(self.editions.order_by("-effective_from", "-pk"))
        return TemplateResponse(request, "documents/edition_list.html", context)

    @re_path(r"^editions/(?P<key>[\w.-]+)/$", name="edition")
    def edition_view(self, request: HttpRequest, key: str):
        edition = self._edition_for(key)
        if edition is None or edition.revision is None:
            raise Http404
        if edition.status == "in_force":
            return redirect(self.get_url(request))
        return self._earlier_text_response(
            request, edition.revision, edition=edition, superseded=True
        )

    @re_path(r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/$", name="before_change")
    def before_change_view(self, request: HttpRequest, key: str, number: str):
        """The text as it was before change ``number`` of edition ``key``: the published
        revision in force just before the one that carried the change. Only revisions that
        were published are ever shown here."""
        from ..selectors import revision_before_change  # imports the models; a Wagtail route

        edition = self._edition_for(key)
        change = None
        if edition is not None:
            change = next(
                (c for c in edition.changes.all() if number in (c.change_number, c.url_key)),
                None,
            )
        earlier = revision_before_change(change=change) if change is not None else None
        revision = Revision.objects.filter(pk=earlier).first() if earlier else None
        if revision is None:
            raise Http404
        return self._earlier_text_response(request, revision, edition=edition, before_change=change)

    @re_path(r"^editions/(?P<key>[\w.-]+)/diff/$", name="edition_diff")
    def edition_diff_view(self, request: HttpRequest, key: str):
        """What changed in edition ``key`` from the edition before it, clause by clause."""
        return edition_diff_response(request, page=self, key=key)

    @re_path(r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/diff/$", name="change_diff")
    def change_diff_view(self, request: HttpRequest, key: str, number: str):
        """What change ``number`` of edition ``key`` changed, clause by clause."""
        return change_diff_response(request, page=self, key=key, number=number)

    @re_path(r"^editions/(?P<key>[\w.-]+)/pdf/$", name="edition_pdf")
    def edition_pdf_view(self, request: HttpRequest, key: str):
        """The official PDF of edition ``key`` as first published (stamped "Жарамсыз" once
        superseded), served as stored."""
        from ..rendering.views import serve_rendering  # imports the models; a Wagtail route

        return serve_rendering(request, document=self, key=key, change_number=None)

    @re_path(r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/pdf/$", name="change_pdf")
    def change_pdf_view(self, request: HttpRequest, key: str, number: str):
        """The official PDF of the document as it reads after change ``number``."""
        from ..rendering.views import serve_rendering  # imports the models; a Wagtail route

        return serve_rendering(request, document=self, key=key, change_number=number)

    @re_path(r"^notices/(?P<number>[\w-]+)/pdf/$", name="notice_pdf")
    def notice_pdf_view(self, request: HttpRequest, number: str):
        """The change notice ``number`` ("3-2026" for №3/2026) as its PDF was stored."""
        from ..rendering.notices import serve_notice  # imports the models; a Wagtail route

        return serve_notice(request, document=self, key=number)

    @path("in-force/", name="in_force")
    def in_force_view(self, request: HttpRequest):
        raw = request.GET.get("date", "")
        try:
            day = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            day, error = None, _("Give the date as YYYY-MM-DD, for example 2017-01-31.")
        else:
            error = ""
        context = self.get_context(request)
        edition = self.edition_in_force_on(day) if day else None
        later_change, text_before = self._first_change_after(edition, day)
        context.update(
            {
                "asked_date": day,
                "asked_raw": raw,
                "date_error": error,
                "edition_on_date": edition,
                "in_future": bool(day and day > timezone.localdate()),
                # the edition's first change made after that day: its text then was the
                # text before that change (``text_before``: None when Sapa does not keep it)
                "later_change": later_change,
                "text_before_later_change": text_before,
            }
        )
        return TemplateResponse(
            request, "documents/in_force.html", context, status=400 if error else 200
        )

    def _first_change_after(self, edition, day):
        """(the first change of ``edition`` introduced after ``day``, whether Sapa keeps the
        text from before it); (None, False) when the edition had all its changes by then."""
        from ..selectors import revision_before_change  # imports the models; a Wagtail route

        if edition is None or day is None:
            return None, False
        later = [change for change in edition.changes.all() if change.entered_date > day]
        if not later:
            return None, False
        first = min(later, key=lambda change: (change.entered_date, change.pk))
        return first, revision_before_change(change=first) is not None


class ProcedurePage(ControlledDocument):
    """Құжатталған процедура (ҚП)."""

    kind_value = DocumentKind.PROCEDURE
    kind_label_kk = "Құжатталған процедура"
    template = "documents/controlled_document.html"
    parent_page_types = ["documents.DocumentLibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("documented procedure")
        verbose_name_plural = _("documented procedures")


class JobInstructionPage(ControlledDocument):
    """Қызметтік нұсқаулық."""

    kind_value = DocumentKind.JOB_INSTRUCTION
    kind_label_kk = "Қызметтік нұсқаулық"
    template = "documents/controlled_document.html"
    parent_page_types = ["documents.DocumentLibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("job instruction")
        verbose_name_plural = _("job instructions")


class AgreedBy(Orderable):
    """One line of КЕЛІСІЛДІ: who agreed, in which position, on which date.

    ``user`` links the line to the account that agrees in the workflow; the date is written
    when that person approves."""

    page = ParentalKey(ControlledDocument, on_delete=models.CASCADE, related_name="agreed_by")
    position = models.CharField(_("position"), max_length=300)
    person = models.CharField(_("person"), max_length=200)
    date = models.DateField(_("date agreed"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account that agrees in the workflow"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("position"), FieldPanel("person")]),
        FieldRowPanel([FieldPanel("date"), FieldPanel("user", widget=AgreerChooserWidget)]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("agreer")
        verbose_name_plural = _("agreed by")

    def __str__(self) -> str:
        return f"{self.position} {self.person}"


class ChangeType(models.TextChoices):
    MODIFY = "modify", _("modify")
    ADD = "add", _("add")
    DELETE = "delete", _("delete")


class RegisterRow(models.Model):
    """The columns of a row of Өзгерістерді тіркеу парағы, declared once for the draft's
    register (``RegisterEntry``) and the durable one (``RegisterChange``)."""

    change_number = models.CharField(_("change no."), max_length=20)
    section_clause = models.CharField(_("section and clause"), max_length=200)
    change_type = models.CharField(_("kind of change"), max_length=10, choices=ChangeType.choices)
    notice_number = models.CharField(_("notice no."), max_length=50, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    entered_date = models.DateField(_("date introduced"))
    entered_by = models.CharField(_("surname and name"), max_length=200)
    entered_position = models.CharField(_("position"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.change_number}: {self.section_clause} ({self.get_change_type_display()})"

    @classmethod
    def row_field_names(cls) -> tuple[str, ...]:
        """The columns above, in their order: what publication copies from a draft's row."""
        return tuple(field.name for field in RegisterRow._meta.local_fields)


class RegisterEntry(RegisterRow, Orderable):
    """A row of the revision register as edited with the page (the draft's register).

    The durable register is ``RegisterChange``: on publication each row is copied there and
    linked to the revision that carried it."""

    page = ParentalKey(
        ControlledDocument, on_delete=models.CASCADE, related_name="register_entries"
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("change_number"), FieldPanel("section_clause"), FieldPanel("change_type")]
        ),
        FieldRowPanel(
            [
                # A change's notice is the order that approves it: the approval writes it here
                # (a tester's "7" was replaced by the order's number without a word).
                FieldPanel(
                    "notice_number",
                    help_text=_("For a new change, the approval writes its order here."),
                ),
                FieldPanel("notice_date"),
                FieldPanel("entered_date"),
            ]
        ),
        FieldRowPanel([FieldPanel("entered_by"), FieldPanel("entered_position")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("register row")
        verbose_name_plural = _("register rows")
