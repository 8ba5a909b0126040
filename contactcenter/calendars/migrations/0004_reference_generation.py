"""Calendar overrides and regions end the cached reference values when they change (``contactcenter.reference_cache``)."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_reference_triggers import generation_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0003_regional_holidays"),
        ("directory", "0014_reference_generation"),
    ]

    operations = [
        generation_triggers(
            "calendars_calendaroverride", "calendars_calendarregion", "calendars_calendarregion_branches"
        ),
    ]
