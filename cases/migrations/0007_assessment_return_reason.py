"""Where an assessment keeps why it was last returned for more work: on the assessment, not in
its audit event, which from now on holds no free text. Assessments returned before this
migration take the date and reason of their latest "returned" event."""

from django.db import migrations, models
from django.utils import timezone


def copy_last_return(apps, schema_editor):
    Assessment = apps.get_model("cases", "Assessment")
    Event = apps.get_model("audit", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="cases", model="assessment").first()
    if content_type is None:  # a new database: nothing was ever returned
        return
    latest: dict[str, object] = {}
    returns = Event.objects.filter(kind="assessment.returned", target_type=content_type)
    for event in returns.order_by("occurred_at", "pk").iterator():
        latest[event.target_id] = event  # the last one wins
    for target_id, event in latest.items():
        Assessment.objects.filter(pk=int(target_id)).update(
            returned_on=timezone.localdate(event.occurred_at),
            return_reason=str((event.detail or {}).get("reason", "")),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_context_links"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="return_reason",
            field=models.TextField(blank=True, verbose_name="what more is needed"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="returned_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date returned for more work"
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="return_reason",
            field=models.TextField(blank=True, verbose_name="what more is needed"),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="returned_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date returned for more work"
            ),
        ),
        migrations.RunPython(copy_last_return, migrations.RunPython.noop),
    ]
