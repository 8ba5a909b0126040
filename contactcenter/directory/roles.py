"""Staff roles. Each role is an auth Group (created by a migration) with the permissions it needs."""

from django.utils.translation import gettext_lazy as _

OPERATOR = "Operator"
SUPERVISOR = "Supervisor"
HEAD_OF_DEPARTMENT = "Head of department"
BRANCH_MANAGER = "Branch manager"
DEPUTY_DIRECTOR = "Deputy director"
SECURITY = "Security"
ADMINISTRATOR = "Administrator"

ALL_ROLES = (
    OPERATOR,
    SUPERVISOR,
    HEAD_OF_DEPARTMENT,
    BRANCH_MANAGER,
    DEPUTY_DIRECTOR,
    SECURITY,
    ADMINISTRATOR,
)

# Group names are stored in English; these are what a user reads.
ROLE_LABELS = {
    OPERATOR: _("Operator"),
    SUPERVISOR: _("Supervisor"),
    HEAD_OF_DEPARTMENT: _("Head of department"),
    BRANCH_MANAGER: _("Branch manager"),
    DEPUTY_DIRECTOR: _("Deputy director"),
    SECURITY: _("Security"),
    ADMINISTRATOR: _("Administrator"),
}

# These roles see every branch; everyone else sees only the branches they work in.
ALL_BRANCH_ROLES = frozenset({DEPUTY_DIRECTOR, ADMINISTRATOR})


def grant_permissions(apps, app_label: str, permissions_by_role: dict[str, list[str]]) -> None:
    """For data migrations: give each role these codenames of ``app_label``, and the Administrator all of
    the app's permissions. Permissions are normally made after all migrations, so make them first."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_permissions = Permission.objects.filter(content_type__app_label=app_label)
    for role, codenames in permissions_by_role.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*app_permissions.filter(codename__in=codenames))
    administrator, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*app_permissions)
