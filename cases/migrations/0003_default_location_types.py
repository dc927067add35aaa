"""Loads the default location types; cases/defaults.py lists them."""

from django.db import migrations

from cases.defaults import load_default_location_types


def load(apps, schema_editor):
    load_default_location_types(apps.get_model("cases", "LocationType"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_referrals_and_locations")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
