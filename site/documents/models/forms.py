"""Forms (Ү үлгі, Ф форма): the templates that quality records are made from."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from .organisations import Organisation


class FormKind(models.TextChoices):
    TEMPLATE = "Ү", _("template (Ү)")
    FORM = "Ф", _("form (Ф)")


class QmsForm(RevisionMixin, index.Indexed, models.Model):
    """A form of a procedure, versioned with Wagtail revisions so that a record can point at
    the exact revision it was made from."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="forms"
    )
    code = models.CharField(_("code"), max_length=80, help_text=_("e.g. ҚазҰТЗУ 715-02 Ү"))
    number = models.CharField(_("number"), max_length=20, help_text=_("e.g. 715-02"))
    kind = models.CharField(_("kind"), max_length=2, choices=FormKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    owning_document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("owning document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_forms",
    )
    template_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("template file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The template file's SHA-1 (Wagtail's ``file_hash``) as of this revision: a file replaced
    # inside the same Wagtail document is a new revision of the form (``template_replaced``),
    # which a change to the procedure counts and a record made after it points at.
    template_sha1 = models.CharField(max_length=40, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="qmsform")

    panels = [
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("number"), FieldPanel("kind")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("owning_document"),
        FieldPanel("template_file"),
    ]
    search_fields = [
        index.SearchField("code"),
        index.SearchField("title"),
        index.FilterField("organisation"),
    ]

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="form_code_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def save(self, *args, **kwargs):
        self.template_sha1 = self.template_file.file_hash if self.template_file_id else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "template_file" in update_fields:
            kwargs["update_fields"] = {*update_fields, "template_sha1"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.template_file_id is None or self.organisation_id is None:
            return
        from ..form_collections import organisation_of_collection  # imports the models; clean()

        owner = organisation_of_collection(self.template_file.collection)
        if owner is not None and owner.pk != self.organisation_id:
            raise ValidationError(
                {
                    "template_file": _(
                        "This file is one of the form templates of %(organisation)s: "
                        "choose a file of this form's organisation."
                    )
                    % {"organisation": owner}
                }
            )

    @property
    def revisions(self):
        return self._revisions


def template_replaced(sender, instance, raw=False, **kwargs) -> None:
    """A Wagtail document saved: each form whose template it is, and whose last revision has
    another file hash (the file was replaced in the document's edit view, which hashes it),
    gets a new revision with the new hash."""
    if raw or not instance.file_hash:
        return
    forms = QmsForm.objects.filter(template_file=instance).exclude(template_sha1=instance.file_hash)
    for form in forms:
        form.save()
        form.save_revision(log_action=True)


class FormCitation(models.Model):
    """Where a form is cited: which document, which clause. Rebuilt on every publication."""

    form = models.ForeignKey(QmsForm, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(
        "documents.ControlledDocument", on_delete=models.CASCADE, related_name="form_citations"
    )
    clause = models.CharField(_("clause"), max_length=32, blank=True)
    anchor = models.CharField(_("anchor"), max_length=120, blank=True)
    as_printed = models.CharField(_("as printed"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("form citation")
        verbose_name_plural = _("form citations")
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "document", "anchor"], name="form_citation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form.code} · {self.document} {self.clause}".strip()


class DocumentReference(models.Model):
    """A document citing another procedure by code ("ҚазҰТЗУ 404 ҚП" in clause 11). The
    target is linked when that document exists; until then the reference is pending and is
    resolved when the referenced document is published."""

    document = models.ForeignKey(
        "documents.ControlledDocument", on_delete=models.CASCADE, related_name="references_made"
    )
    code = models.CharField(_("code"), max_length=80)
    clause = models.CharField(_("clause"), max_length=32, blank=True)
    target = models.ForeignKey(
        "documents.ControlledDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="references_received",
    )

    class Meta:
        verbose_name = _("reference to a document")
        verbose_name_plural = _("references to documents")
        ordering = ["document", "code", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["document", "code", "clause"], name="reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.code} ({self.clause})"

    @property
    def is_pending(self) -> bool:
        return self.target_id is None
