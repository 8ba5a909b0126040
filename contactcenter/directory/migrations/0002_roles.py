"""Create the staff roles as groups with their permissions on the directory.

The permissions of each role are in ``roles.PERMISSIONS``; every app grants its own in its data migration.
"""

from django.db import migrations

from contactcenter.directory.roles import ALL_ROLES, grant_permissions


def create_roles(apps, schema_editor):
    for app_label in ("directory", "auth", "audit", "django_celery_beat", "axes"):
        grant_permissions(apps, app_label)


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
