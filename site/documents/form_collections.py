"""Form templates per organisation: each organisation keeps the template files (DOCX, XLSX)
of its forms in a Wagtail Collection of its own.

- The collection is created with the organisation (as soon as it has a code prefix) and
  renamed with it; ``grant_form_collection`` gives a group (the organisation's quality
  office) the permissions to add, change and choose documents in it.
- ``OrganisationDocumentPermissionPolicy``: Wagtail's collection permissions on documents,
  of which an organisation-bound account (the quality office, auditors: see
  ``admin_permissions.page_organisation_ids``) keeps none inside another organisation's
  collection, whatever its groups grant. So the documents listing, the chooser and its
  upload offer a university's office only its own templates, and another university's
  document answers "permission denied" as Wagtail answers for any document one may not edit.
- A form's template file is moved into the form's organisation's collection when it is
  attached (whatever uploaded it: the admin's chooser, the demo); a file kept in another
  organisation's collection is refused by ``QmsForm.clean``.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.db.models.signals import post_save
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .admin_permissions import page_organisation_ids
from .models import Organisation, QmsForm

DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


def form_collection_name(organisation: Organisation) -> str:
    """As the collection is listed in the admin: the organisation's short name first."""
    return f"{organisation.short_name or organisation.code_prefix} · форма үлгілері"[:255]


def form_collection_for(organisation: Organisation) -> Collection | None:
    """The organisation's collection of form templates, created (under the root collection)
    or renamed as needed; None for a site without a configured organisation."""
    if not organisation.code_prefix:
        return None
    name = form_collection_name(organisation)
    collection = organisation.form_collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
        organisation.form_collection = collection
        Organisation.objects.filter(pk=organisation.pk).update(form_collection=collection)
    elif collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    return collection


def grant_form_collection(organisation: Organisation, groups) -> None:
    """Give ``groups`` the permissions to add, change and choose the organisation's form
    templates."""
    collection = form_collection_for(organisation)
    if collection is None:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    )
    for group in groups:
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def organisation_of_collection(collection: Collection | None) -> Organisation | None:
    """The organisation whose form-template collection holds ``collection`` (itself or an
    ancestor), if any."""
    if collection is None:
        return None
    paths = [
        collection.path[:i]
        for i in range(Collection.steplen, len(collection.path) + 1, Collection.steplen)
    ]
    return (
        Organisation.objects.filter(form_collection__path__in=paths)
        .order_by("-form_collection__depth")
        .first()
    )


def file_template_in_collection(form: QmsForm) -> bool:
    """Move ``form``'s template file into its organisation's collection if it is in none of
    the organisations' collections (the root one, a shared one). Returns whether it moved."""
    document = form.template_file
    if document is None or form.organisation_id is None:
        return False
    collection = form_collection_for(form.organisation)
    if collection is None or organisation_of_collection(document.collection) is not None:
        return False
    document.collection = collection
    document.save(update_fields=["collection"])
    return True


# --- signals -------------------------------------------------------------------------------


def _organisation_saved(sender, instance: Organisation, raw=False, **kwargs):
    if not raw:
        form_collection_for(instance)


def _form_saved(sender, instance: QmsForm, raw=False, update_fields=None, **kwargs):
    if raw or instance.template_file_id is None:
        return
    if update_fields is not None and "template_file" not in update_fields:
        return
    file_template_in_collection(instance)


def register_policy() -> None:
    """Take Wagtail's document permission policy over (called from ``wagtail_hooks``). As
    the exact class's policy, it wins over the one ``wagtail.documents`` registers in its
    ``ready()``, whichever runs first."""
    from wagtail.documents import get_document_model, get_document_model_string
    from wagtail.permissions import register_permission_policy

    register_permission_policy(
        get_document_model(),
        OrganisationDocumentPermissionPolicy(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )


def connect() -> None:
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="sapa-form-coll")
    post_save.connect(_form_saved, sender=QmsForm, dispatch_uid="sapa-form-template-coll")


# --- permission policy ---------------------------------------------------------------------


class OrganisationDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection permissions on documents, without the collections of the
    organisations an organisation-bound account does not belong to."""

    def _barred_paths(self, user) -> tuple[str, ...]:
        if not user or not user.is_authenticated:
            return ()
        cached = getattr(user, "_sapa_barred_collection_paths", None)
        if cached is not None:
            return cached
        ids = page_organisation_ids(user)
        if ids is None:
            paths: tuple[str, ...] = ()
        else:
            paths = tuple(
                Organisation.objects.filter(form_collection__isnull=False)
                .exclude(pk__in=sorted(ids))
                .values_list("form_collection__path", flat=True)
            )
        user._sapa_barred_collection_paths = paths
        return paths

    def _is_barred(self, user, collection) -> bool:
        return any(collection.path.startswith(path) for path in self._barred_paths(user))

    def _collections_with_perm(self, user, actions):
        collections = super()._collections_with_perm(user, actions)
        barred = self._barred_paths(user)
        if not barred:
            return collections
        excluded = Q(pk__in=[])
        for path in barred:
            excluded |= Q(path__startswith=path)
        return collections.exclude(excluded)

    def _check_perm(self, user, actions, collection=None):
        if collection is not None:
            return not self._is_barred(user, collection) and super()._check_perm(
                user, actions, collection
            )
        if not super()._check_perm(user, actions):
            return False
        if user.is_superuser or not self._barred_paths(user):
            return True
        return self._collections_with_perm(user, actions).exists()
