# Generated for the change notices (хабарлама); depends only on 0005 so the lead can merge it
# with the other 0006 migrations.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_official_rendering"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NoticeCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="documents.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "year"),
                        name="one_notice_counter_per_organisation_year",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ChangeNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField(verbose_name="year")),
                ("sequence", models.PositiveIntegerField(verbose_name="number in the year")),
                ("number", models.CharField(max_length=20, verbose_name="notice no.")),
                ("rows", models.JSONField(default=list, verbose_name="changes as printed")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("issued_on", models.DateField(verbose_name="notice date")),
                ("effective_date", models.DateField(verbose_name="effective date")),
                (
                    "order_number",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="approval order number"
                    ),
                ),
                (
                    "order_date",
                    models.DateField(blank=True, null=True, verbose_name="approval order date"),
                ),
                (
                    "approver",
                    models.CharField(blank=True, max_length=300, verbose_name="approved by"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("file_name", models.CharField(blank=True, max_length=500, verbose_name="file")),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                (
                    "size",
                    models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name="size in bytes"
                    ),
                ),
                ("pages", models.PositiveIntegerField(blank=True, null=True, verbose_name="pages")),
                (
                    "template_version",
                    models.CharField(blank=True, max_length=20, verbose_name="template version"),
                ),
                (
                    "rendered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="rendered at"),
                ),
                (
                    "changes",
                    models.ManyToManyField(
                        related_name="notices",
                        to="documents.registerchange",
                        verbose_name="register rows",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_notices",
                        to="documents.controlleddocument",
                        verbose_name="document",
                    ),
                ),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="change_notices",
                        to="documents.edition",
                        verbose_name="edition",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="change_notices",
                        to="documents.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "revision",
                    models.OneToOneField(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="revision that carried the change",
                    ),
                ),
            ],
            options={
                "verbose_name": "change notice",
                "verbose_name_plural": "change notices",
                "ordering": ["organisation", "year", "sequence"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "year", "sequence"),
                        name="notice_number_unique_per_organisation_year",
                    )
                ],
            },
        ),
    ]
