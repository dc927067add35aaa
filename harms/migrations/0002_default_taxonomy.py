"""Loads the default harm taxonomy; harms/defaults.py lists it and names its sources."""

from django.db import migrations

from harms.defaults import load_default_taxonomy


def load(apps, schema_editor):
    load_default_taxonomy(
        apps.get_model("harms", "HarmType"), apps.get_model("harms", "HistoricalHarmType")
    )


class Migration(migrations.Migration):
    dependencies = [("harms", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
