"""Create the staff roles as groups with their permissions on the directory.

Case apps add their own permissions to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    # Permissions are normally made after all migrations; make the directory's now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(*Permission.objects.all())


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[*ROLE_PERMISSIONS, "Administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("audit", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
