"""The starting list of location types, from the product brief's examples of where extra-familial
harm happens (park, stairwell, bus stop, shop, school, home of an adult, online platform...).
Administrators add to it; types are retired, never deleted."""

from django.db import migrations

LOCATION_TYPES = [
    "Park or open space",
    "Stairwell or communal area",
    "Bus stop",
    "Shop or takeaway",
    "School or college",
    "Transport hub (station, interchange)",
    "Street",
    "Estate",
    "Home of an adult",
    "Party or gathering at a private address",
    "Online platform",
    "Other",
]


def load(apps, schema_editor):
    LocationType = apps.get_model("cases", "LocationType")
    for order, name in enumerate(LOCATION_TYPES, start=1):
        LocationType.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_referrals_and_locations")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
