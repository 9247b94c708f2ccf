"""One more group of equivalent terms: the words for a form. The regulations and their
forms lists say нысан or форма, staff type either, or бланк (Russian). The office edits it
in the admin."""

from django.db import migrations

TERMS, NOTE = "нысан\nформа\nбланк", "form"


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("sapa_search", "SynonymGroup")
    SynonymGroup.objects.get_or_create(terms=TERMS, defaults={"note": NOTE})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("sapa_search", "SynonymGroup")
    SynonymGroup.objects.filter(terms=TERMS, note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("sapa_search", "0003_more_equivalent_terms")]

    operations = [migrations.RunPython(seed, unseed)]
