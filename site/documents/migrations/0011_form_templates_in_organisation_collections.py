"""Each organisation's form templates into a collection of its own.

For every configured organisation (one with a code prefix): a collection "<short name> ·
форма үлгілері" under the root collection; the groups that hold page permissions inside the
organisation's site (its quality office, on its library) get add, change and choose on it; every form
template file of its forms that is in no organisation's collection moves there. A file
attached to forms of two organisations stays with the first one's (by form id)."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


def _next_step(step: str) -> str:
    value = 0
    for char in step:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    value += 1
    digits = []
    for _ in range(STEPLEN):
        value, rest = divmod(value, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))


def _add_child(Collection, parent, name):
    last = (
        Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        .order_by("-path")
        .first()
    )
    step = _next_step(last.path[-STEPLEN:]) if last else "0001"
    child = Collection.objects.create(
        name=name, path=parent.path + step, depth=parent.depth + 1, numchild=0
    )
    parent.numchild += 1
    parent.save(update_fields=["numchild"])
    return child


def _is_inside(path, paths):
    return any(path.startswith(other) for other in paths)


def forwards(apps, schema_editor):
    Organisation = apps.get_model("documents", "Organisation")
    QmsForm = apps.get_model("documents", "QmsForm")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
        )
    )
    organisations = list(
        Organisation.objects.exclude(code_prefix="").select_related("site__root_page")
    )
    for organisation in organisations:
        if organisation.form_collection_id is None:
            name = f"{organisation.short_name or organisation.code_prefix} · форма үлгілері"
            organisation.form_collection = _add_child(Collection, root, name[:255])
            organisation.save(update_fields=["form_collection"])
        site_path = organisation.site.root_page.path
        groups = {
            grant.group_id
            for grant in GroupPagePermission.objects.select_related("page")
            if grant.page.path.startswith(site_path)
        }
        for group_id in sorted(groups):
            for permission in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group_id=group_id,
                    collection_id=organisation.form_collection_id,
                    permission=permission,
                )

    kept = [o.form_collection.path for o in organisations if o.form_collection_id]
    moved = set()
    for form in (
        QmsForm.objects.filter(
            template_file__isnull=False, organisation__form_collection__isnull=False
        )
        .select_related("template_file__collection", "organisation__form_collection")
        .order_by("pk")
    ):
        document = form.template_file
        if document.pk in moved or _is_inside(document.collection.path, kept):
            continue
        document.collection = form.organisation.form_collection
        document.save(update_fields=["collection"])
        moved.add(document.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0010_organisation_form_collection"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
