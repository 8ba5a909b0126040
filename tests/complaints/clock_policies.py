"""The complaint clocks' policies, as the app's data migration makes them."""

import importlib

from django.apps import apps

# The data migration that makes the complaint clocks' policies; a transactional test's flush empties the table.
_policies_migration = importlib.import_module("complaints.migrations.0002_clock_policies_and_roles")


def make_clock_policies():
    """For transactional tests: the flush that follows each of them empties the table the migration filled."""
    _policies_migration.forwards(apps, None)
