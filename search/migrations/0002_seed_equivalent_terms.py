from django.db import migrations

GROUPS = [
    ("ментор\nэдвайзер\nкуратор\nтәлімгер\nадвайзер\nэдвайзер (advisor)", "academic advisor"),
    ("жатақхана\nстуденттер үйі\nобщежитие", "dormitory"),
    ("студент\nбілім алушы\nобучающийся", "student"),
    ("шағым\nжалоба\nарыз", "complaint"),
    ("стипендия\nшәкіртақы", "scholarship"),
    ("бұйрық\nприказ", "order"),
    ("жазба\nзапись", "record"),
    ("құжат\nдокумент", "document"),
    ("кафедра\nбөлім\nотдел", "unit"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("sapa_search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("sapa_search", "0001_outbox_index_synonyms")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
