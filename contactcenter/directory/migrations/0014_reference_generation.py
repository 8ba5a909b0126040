"""The token that ends the cached reference values (``contactcenter.reference_cache``), and the triggers on the
directory's reference tables: branches, working hours, teams, their members and their hours."""

from django.db import migrations

from ._frozen_reference_triggers import create_generation_table, drop_generation_table, generation_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0013_team_schedules"),
    ]

    operations = [
        migrations.RunPython(create_generation_table, drop_generation_table),
        generation_triggers(
            "directory_branch",
            "directory_workinghours",
            "directory_team",
            "directory_team_members",
            "directory_teamhours",
        ),
    ]
