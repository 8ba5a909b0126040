"""Create the staff roles as groups with their permissions on the directory.

Case apps add their own permissions to these groups in their own migrations (``roles.grant_permissions``).
"""

from django.db import migrations

from contactcenter.directory.roles import ALL_ROLES, grant_permissions

VIEW_DIRECTORY = ["view_branch", "view_team", "view_workinghours", "view_customer"]
EDIT_CUSTOMERS = ["add_customer", "change_customer"]

ROLE_PERMISSIONS = {
    "Operator": VIEW_DIRECTORY + EDIT_CUSTOMERS,
    "Supervisor": VIEW_DIRECTORY + EDIT_CUSTOMERS,
    "Head of department": VIEW_DIRECTORY + EDIT_CUSTOMERS,
    "Branch manager": VIEW_DIRECTORY + EDIT_CUSTOMERS,
    "Deputy director": VIEW_DIRECTORY + EDIT_CUSTOMERS,
    "Security": VIEW_DIRECTORY,
}


def create_roles(apps, schema_editor):
    grant_permissions(apps, "directory", ROLE_PERMISSIONS)
    # The Administrator also administers the platform parts that exist from the start.
    for app_label in ("auth", "audit", "django_celery_beat", "axes"):
        grant_permissions(apps, app_label, {})


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ALL_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("audit", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
