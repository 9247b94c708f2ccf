"""Organisation boundaries in the Wagtail admin.

Each university is an organisation; a quality-office member acts only on the organisations
of their memberships (a superuser on every one). Who belongs where is decided by the records
app (``OrganisationMembership``), which sits above this package in the import order, so it
answers through two Wagtail hooks instead of an import:

- ``sapa_admin_organisation_ids(user)``: the organisations whose admin objects (forms,
  units, settings, series, keepers, grants…) ``user`` acts on; ``None`` for every one.
- ``sapa_page_organisation_ids(user)``: the organisations whose pages ``user``'s Wagtail page
  permissions reach; ``None`` for "as their groups grant them".

Without a hook nobody but a superuser acts on any organisation (fail closed).

The boundary is drawn once, where Wagtail asks:

- ``OrganisationPermissionPolicy``: a model's permission policy that grants an action on an
  instance only inside the user's organisations (buttons, bulk actions, listings);
- ``OrganisationScopedViewSetMixin``: every view of a viewset (listing, edit, delete, copy,
  history, usage, revisions, compare, lock, unpublish, inspect, choosers) answers 404 for an
  object of another organisation, lists only the user's own, and limits the edit form's
  choices (organisation, unit, form, series, document) to them;
- ``OrganisationSettingPermissionPolicy``: an organisation's site settings;
- ``OrganisationPagePermissionPolicy``: page permissions of an organisation-bound user hold
  only under the site roots of their organisations.

Another organisation's object answers 404, as the records pages do: the admin does not
confirm to one university what the other keeps.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permission_policies.sites import SitePermissionPolicy

from .models import Organisation

ADMIN_ORGANISATIONS_HOOK = "sapa_admin_organisation_ids"
PAGE_ORGANISATIONS_HOOK = "sapa_page_organisation_ids"

# model -> lookup from the model to its organisation ("pk" for Organisation itself)
_ORGANISATION_PATHS: dict[type[Model], str] = {}


def register_organisation_path(model: type[Model], path: str) -> None:
    """Tell the admin how ``model`` leads to its organisation (e.g. ``"unit__organisation"``),
    so that edit forms limit their choices of it to the user's organisations."""
    _ORGANISATION_PATHS[model] = path


def organisation_path_for(model: type[Model]) -> str | None:
    for klass in model.__mro__:
        if klass in _ORGANISATION_PATHS:
            return _ORGANISATION_PATHS[klass]
    return None


def _ask(hook_name: str, user, default):
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    for answer in hooks.get_hooks(hook_name):
        return answer(user)
    return default


def admin_organisation_ids(user) -> frozenset[int] | None:
    """The organisations whose admin objects ``user`` acts on; None for every one."""
    return _ask(ADMIN_ORGANISATIONS_HOOK, user, frozenset())


def page_organisation_ids(user) -> frozenset[int] | None:
    """The organisations whose pages ``user``'s page permissions reach; None: as granted."""
    return _ask(PAGE_ORGANISATIONS_HOOK, user, None)


def scope_queryset(queryset: QuerySet, user, path: str | None = None) -> QuerySet:
    """``queryset`` cut down to the objects of ``user``'s organisations."""
    path = path or organisation_path_for(queryset.model)
    if path is None:
        return queryset
    ids = admin_organisation_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return queryset.filter(**{lookup: sorted(ids)})


def organisation_id_of(instance: Model, path: str) -> int | None:
    """Follow ``path`` (``"organisation"``, ``"unit__organisation"``, ``"pk"``) on an object."""
    if path == "pk":
        return instance.pk
    *steps, last = path.split("__")
    obj = instance
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def user_acts_on(user, instance: Model, path: str | None = None) -> bool:
    path = path or organisation_path_for(type(instance))
    if path is None:
        return True
    ids = admin_organisation_ids(user)
    return ids is None or organisation_id_of(instance, path) in ids


def user_acts_on_page(user, page) -> bool:
    """Whether ``user``'s organisation boundary lets them act on ``page`` (workflow tasks
    granted by group, which Wagtail does not check against page permissions)."""
    ids = page_organisation_ids(user)
    if ids is None:
        return True
    organisation = Organisation.for_page(page)
    return organisation is not None and organisation.pk in ids


def scope_pages(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` of pages cut down to those inside the sites of the organisations
    ``user``'s page permissions reach."""
    ids = page_organisation_ids(user)
    if ids is None:
        return queryset
    inside = Q(pk__in=[])
    for path in (
        Organisation.configured().filter(pk__in=ids).values_list("site__root_page__path", flat=True)
    ):
        inside |= Q(path__startswith=path)
    return queryset.filter(inside)


def exclude_other_organisations_pages(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` of pages without those inside the sites of organisations ``user`` is
    bound away from (pages outside every organisation's site, like the portal, stay)."""
    ids = page_organisation_ids(user)
    if ids is None:
        return queryset
    outside = Q(pk__in=[])
    for path in (
        Organisation.configured()
        .exclude(pk__in=ids)
        .values_list("site__root_page__path", flat=True)
    ):
        outside |= Q(path__startswith=path)
    return queryset.exclude(outside)


def limit_form_choices(form, user) -> None:
    """Every choice field of ``form`` whose objects belong to an organisation offers only
    those of the user's organisations, so a posted id of another one is refused as an
    invalid choice."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, QuerySet):
            field.queryset = scope_queryset(queryset, user)


# --- permission policies -------------------------------------------------------------------


class OrganisationPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, held only for the objects of the user's organisations."""

    def __init__(self, model, *, organisation_path: str = "organisation", auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self.organisation_path = organisation_path
        register_organisation_path(self.model, organisation_path)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and user_acts_on(
            user, instance, self.organisation_path
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and user_acts_on(
            user, instance, self.organisation_path
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_queryset(
            super().instances_user_has_any_permission_for(user, actions),
            user,
            self.organisation_path,
        )


class OrganisationSettingPermissionPolicy(SitePermissionPolicy):
    """An organisation's settings (its names, prefix, logo) are edited by its own quality
    office: the site switcher offers only their sites, another one's answers 403 as Wagtail's
    settings view does for a site one may not edit."""

    def _acts_on_site(self, user, site_id) -> bool:
        ids = admin_organisation_ids(user)
        if ids is None:
            return True
        return Organisation.configured().filter(site_id=site_id, pk__in=ids).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and self._acts_on_site(user, site_id)

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        ids = admin_organisation_ids(user)
        if ids is None:
            return sites
        return sites.filter(pk__in=Organisation.configured().filter(pk__in=ids).values("site_id"))

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_queryset(super().instances_user_has_any_permission_for(user, actions), user)


class OrganisationPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, of which an organisation-bound user keeps only those on
    pages inside their organisations' sites: a group may hold permissions on both libraries
    (the demo's quality office works for both universities), but a member of one university
    only edits, publishes and explores that university's pages."""

    def get_all_permissions_for_user(self, user):
        permissions = super().get_all_permissions_for_user(user)
        ids = page_organisation_ids(user)
        if ids is None:
            return permissions
        roots = list(
            Organisation.configured()
            .filter(pk__in=ids)
            .values_list("site__root_page__path", flat=True)
        )
        if not roots:
            return permissions.none()
        inside = Q()
        for path in roots:
            inside |= Q(page__path__startswith=path)
        return permissions.filter(inside)


# --- views ---------------------------------------------------------------------------------


class OrganisationScopedViewMixin:
    """Mixed into every view of a scoped viewset (see ``OrganisationScopedViewSetMixin``)."""

    scope_model: type[Model] | None = None
    organisation_path: str = "organisation"

    def _scope(self, queryset):
        # only listings of the viewset's model: a history view lists log entries
        if self.scope_model is None or not issubclass(queryset.model, self.scope_model):
            return queryset
        return scope_queryset(queryset, self.request.user, self.organisation_path)

    def setup(self, request, *args, **kwargs):
        # before Wagtail's own setup, which loads the object (and may refuse it with a 403
        # that would confirm it exists)
        pk = kwargs.get("pk")
        if pk is not None and self.scope_model is not None:
            queryset = self.scope_model._default_manager.filter(pk=unquote(str(pk)))
            if not scope_queryset(queryset, request.user, self.organisation_path).exists():
                raise Http404
        super().setup(request, *args, **kwargs)

    # listings (IndexView) and choosers (ChooseView, ChooseResultsView, ChosenMultipleView)
    def get_base_queryset(self):
        return self._scope(super().get_base_queryset())

    def get_object_list(self, *args, **kwargs):
        return self._scope(super().get_object_list(*args, **kwargs))

    def get_objects(self, *args, **kwargs):
        return self._scope(super().get_objects(*args, **kwargs))

    @cached_property
    def filters(self):
        # the listing's filters offer the user's organisations (and their units, forms…) only
        filterset = super().filters
        if filterset is not None:
            limit_form_choices(filterset.form, self.request.user)
        return filterset

    # create, edit, copy: choices inside the user's organisations
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        limit_form_choices(form, self.request.user)
        return form


class OrganisationScopedViewSetMixin:
    """A Wagtail viewset (snippet, model or chooser viewset) whose views all stay inside the
    user's organisations. ``organisation_path`` leads from the model to its organisation."""

    organisation_path = "organisation"

    def construct_view(self, view_class, **kwargs):
        scoped = type(
            f"OrganisationScoped{view_class.__name__}",
            (OrganisationScopedViewMixin, view_class),
            {"scope_model": self._scope_model(), "organisation_path": self.organisation_path},
        )
        return super().construct_view(scoped, **kwargs)

    def _scope_model(self):
        model = self.model
        if isinstance(model, str):
            from django.apps import apps

            model = apps.get_model(model)
        return model
