"""More equivalent terms for the quality office to start from: the Russian words staff in
Kazakhstan type for the Kazakh terms of student support and QMS regulations, and a few
Kazakh words with the same meaning. The office edits them in the admin."""

from django.db import migrations

GROUPS = [
    ("міндет\nобязанность\nобязанности", "duties"),
    ("құқық\nправо\nправа", "rights"),
    ("жауапкершілік\nответственность", "responsibility"),
    ("тағайындау\nназначение\nназначать", "appointment"),
    ("босату\nосвобождение\nосвобождать", "release, exemption"),
    ("тамақтану\nтамақ\nпитание", "meals"),
    ("жеңілдік\nльгота\nльготный", "concession"),
    ("өтемақы\nкомпенсация", "compensation"),
    ("жалдау\nжалға алу\nаренда\nсъём", "renting"),
    ("тұрғын үй\nпәтер\nжильё\nжилье\nквартира", "housing"),
    ("көмек\nпомощь\nжәрдем", "help"),
    ("жұмыспен қамту\nжұмысқа орналастыру\nтрудоустройство\nзанятость", "employment"),
    ("жоспар\nплан", "plan"),
    ("есеп\nесептілік\nотчёт\nотчет", "report"),
    ("бағалау\nоценка\nоценивание", "evaluation"),
    ("бақылау\nқадағалау\nконтроль", "monitoring"),
    ("кеңес беру\nконсультация\nконсультирование", "advice"),
    ("ата-ана\nродители", "parents"),
    ("жетім\nсирота", "orphan"),
    ("мүгедектік\nмүгедек\nинвалидность\nинвалид", "disability"),
    ("топ\nгруппа", "student group"),
    ("жиналыс\nотырыс\nсобрание\nзаседание", "meeting"),
    ("кесте\nграфик\nрасписание", "schedule"),
    ("марапаттау\nкөтермелеу\nынталандыру\nпоощрение\nвознаграждение", "reward"),
    ("бұзушылық\nнарушение", "violation"),
    ("жаза\nвзыскание", "penalty"),
    ("құпия\nконфиденциальный", "confidential"),
    ("сақтау\nхранение", "keeping"),
    ("мерзім\nсрок", "term, deadline"),
    ("өтініш\nзаявление", "application"),
    ("анықтама\nсправка", "certificate"),
    ("ереже\nположение", "regulation"),
    ("тәрбие\nвоспитание", "upbringing"),
    ("бейімделу\nадаптация", "adaptation"),
    ("үлгерім\nуспеваемость", "academic progress"),
    ("оқытушы\nұстаз\nпреподаватель", "teacher"),
    ("денсаулық\nздоровье", "health"),
    ("медициналық\nмедицинский", "medical"),
    ("call-центр\ncall-center\nколл-орталық\nколл-центр\nбайланыс орталығы", "call centre"),
    ("менторлық сағат\nкураторлық сағат\nкураторский час\nэдвайзерлік сағат", "group hour"),
    ("сағат\nчас", "hour"),
    ("ай\nмесяц", "month"),
    ("апта\nнеделя", "week"),
    ("жыл\nгод", "year"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("sapa_search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("sapa_search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _note in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("sapa_search", "0002_seed_equivalent_terms")]
    operations = [migrations.RunPython(seed, unseed)]
