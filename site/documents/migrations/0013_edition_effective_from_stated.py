from django.db import migrations, models
from django.db.models import Q


def mark_dates_sapa_gave(apps, schema_editor):
    """An edition published from a text that states no in-force date (its revision's
    ``effective_date`` empty) took the day of publication: that day is Sapa's."""
    Edition = apps.get_model("documents", "Edition")
    no_date = Q(revision__content__effective_date=None) | Q(
        revision__content__effective_date__isnull=True
    )
    Edition.objects.filter(revision__isnull=False).filter(no_date).update(
        effective_from_stated=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0012_approval_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="effective_from_stated",
            field=models.BooleanField(
                default=True, verbose_name="in-force date stated in the document"
            ),
        ),
        migrations.RunPython(mark_dates_sapa_gave, migrations.RunPython.noop),
    ]
