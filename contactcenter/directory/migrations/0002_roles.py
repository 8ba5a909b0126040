"""Create the staff roles as groups with their permissions on the directory.

Every app grants its own in its data migration, from its frozen share of the table of ``roles.PERMISSIONS``
(as it was when the migration was written; ``roles.sync_roles`` grants the live table after every migrate).
The Administrator gets every permission of these apps.
"""

from django.db import migrations

from ._frozen_roles import ROLES, grant

_SEE = ["view_branch", "view_team", "view_workinghours", "view_customer"]
_EDIT_CUSTOMERS = [*_SEE, "add_customer", "change_customer"]
DIRECTORY = {
    "Operator": _EDIT_CUSTOMERS,
    "Supervisor": _EDIT_CUSTOMERS,
    "Head of department": _EDIT_CUSTOMERS,
    "Branch manager": _EDIT_CUSTOMERS,
    "Deputy director": _EDIT_CUSTOMERS,
    "Security": _SEE,
}


def create_roles(apps, schema_editor):
    grant(apps, "directory", DIRECTORY)
    for app_label in ("auth", "audit", "django_celery_beat", "axes"):
        grant(apps, app_label, {})


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("audit", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
