# Export jobs moved here from reporting with their table: reporting's 0001 made the table
# reporting_exportjob, which this app now owns under the same name, so this migration changes
# Django's picture of the models only and nothing in the database. reporting's 0003 takes the
# model out of reporting's picture and moves its content type here.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # Where the table is made.
        ("reporting", "0002_census_download_permission"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("source_key", models.CharField(max_length=60)),
                        ("params", models.JSONField(blank=True, default=dict)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "In progress"),
                                    ("done", "Ready to download"),
                                    ("failed", "Failed"),
                                    ("expired", "Expired"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("rows_total", models.PositiveIntegerField(default=0)),
                        ("rows_written", models.PositiveIntegerField(default=0)),
                        ("stored_name", models.CharField(blank=True, default="", max_length=64)),
                        ("size", models.PositiveBigIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("error", models.CharField(blank=True, default="", max_length=300)),
                        ("young_person_ids", models.JSONField(blank=True, default=list)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="export_jobs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_exportjob",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["requested_by", "-created_at"],
                                name="reporting_export_user_time",
                            ),
                            models.Index(
                                fields=["status", "expires_at"],
                                name="reporting_export_status_exp",
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["queued", "running", "done", "failed", "expired"],
                                    )
                                ),
                                name="reporting_export_status_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "done"), _negated=True),
                                    ("expires_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="reporting_export_done_expires",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
