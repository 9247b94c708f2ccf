"""Demo form templates: every form of the demo's documents gets its template file (a small
DOCX from ``demo_data/forms/<organisation>/<number>.docx``, written by
``demo_data/forms/generate.py``), downloadable from the form's page. Safe to run again: a
form that already has a template file is left as it is."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from wagtail.documents import get_document_model

from sapa.documents.form_collections import form_collection_for
from sapa.documents.models import QmsForm

FORM_FILES = Path(__file__).resolve().parent / "demo_data" / "forms"


def attach_form_templates(documents, *, user=None) -> list[QmsForm]:
    """Attach the template file of each form of the organisations of ``documents`` that has
    none yet (the files of an organisation are in the folder named like its site's root
    page: ``kaznrtu``, ``aru``); a new revision of the form records the change. Returns the
    forms changed."""
    Document = get_document_model()
    changed = []
    organisations = {document.organisation_id: document.organisation for document in documents}
    for organisation in organisations.values():
        slug = organisation.site.root_page.slug
        forms = QmsForm.objects.filter(organisation=organisation, template_file__isnull=True)
        for form in forms.order_by("number"):
            path = FORM_FILES / slug / f"{form.number}.docx"
            if not path.exists():
                continue
            with path.open("rb") as handle:
                # in the organisation's own collection of form templates
                document = Document(
                    title=str(form)[:255], collection=form_collection_for(organisation)
                )
                # The name a person downloads: the form's code, Kazakh letters kept.
                document.file.save(f"{form.code}.docx", File(handle), save=False)
                document._set_document_file_metadata()
                document.save()
            form.template_file = document
            form.save(update_fields=["template_file"])
            form.save_revision(user=user, log_action=True)
            changed.append(form)
    return changed
