"""Frozen for the data migrations of every app: how they grant the roles their permissions of one app.

A copy of ``roles.grant_permissions`` as it was when the migrations were written, so that editing the live
module never changes what an old migration does (Django skips migration modules whose name starts with "_").
Never edit it: a new rule gets a new function. The live table goes on being granted after every ``migrate``
by ``roles.sync_roles`` (post_migrate).
"""

ROLES = (
    "Operator",
    "Supervisor",
    "Head of department",
    "Branch manager",
    "Deputy director",
    "Security",
    "Administrator",
)
ADMINISTRATOR = "Administrator"


def grant(apps, app_label: str, codenames_by_role: dict[str, list[str]]) -> None:
    """Each role its ``codenames_by_role`` of ``app_label`` (those the app's models have at this point of
    history), the Administrator every permission of the app. Additive and idempotent."""
    from django.contrib.auth.management import create_permissions

    try:
        app_config = apps.get_app_config(app_label)
    except LookupError:  # an app with no migrations yet has no models in the migration state
        return
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_permissions = Permission.objects.filter(content_type__app_label=app_label)
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        if role == ADMINISTRATOR:
            group.permissions.add(*app_permissions)
        elif codenames_by_role.get(role):
            group.permissions.add(*app_permissions.filter(codename__in=codenames_by_role[role]))
