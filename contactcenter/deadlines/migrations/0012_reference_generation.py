"""Clock policies end the cached reference values when they change (``contactcenter.reference_cache``)."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_reference_triggers import generation_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0011_clock_team"),
        ("directory", "0014_reference_generation"),
    ]

    operations = [
        generation_triggers("deadlines_clockpolicy"),
    ]
