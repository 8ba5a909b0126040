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

# The staff above an operator in a branch: whom an operator may put a caller through to. Not "the supervisors"
# of a branch, which are the holders of the Supervisor role and its teams' supervisors
# (``StaffQuerySet.supervisors_by_branch``); see docs/architecture.md.
SENIOR_STAFF = (SUPERVISOR, HEAD_OF_DEPARTMENT, BRANCH_MANAGER)


_VIEW_DIRECTORY = [
    "directory.view_branch",
    "directory.view_team",
    "directory.view_workinghours",
    "directory.view_customer",
]
_EDIT_CUSTOMERS = ["directory.add_customer", "directory.change_customer"]
# Merging two records of one person moves every case of one to the other: supervisors and up.
_MERGE_CUSTOMERS = ["directory.merge_customer"]
_SEE_CLOCKS = ["deadlines.view_deadline", "deadlines.view_clockpause"]
# Stopping a clock for a recorded reason: supervisors and up, never an operator (the owner of the clock).
_PAUSE_CLOCKS = ["deadlines.pause_deadline"]
_WORK_CALLBACKS = ["callbacks.view_callback", "callbacks.add_callback", "callbacks.change_callback"]
# A missed attempt logged before the planned retry (with a reason, audited): supervisors and up.
_LEAD_CALLBACKS = [*_WORK_CALLBACKS, "callbacks.reassign_callback", "callbacks.log_attempt_before_retry"]
_SEE_COMPLAINTS = ["complaints.view_complaint"]
_REGISTER_COMPLAINTS = [*_SEE_COMPLAINTS, "complaints.add_complaint", "complaints.forward_complaint"]
_HANDLE_COMPLAINTS = [*_REGISTER_COMPLAINTS, "complaints.change_complaint", "complaints.answer_complaint"]
# Operators see only the escalations they opened, security only what reached it (escalations.selectors).
_OPEN_ESCALATIONS = ["escalations.view_escalation", "escalations.add_escalation", "escalations.add_transferattempt"]
_ACT_ON_ESCALATIONS = ["escalations.view_escalation", "escalations.change_escalation", "escalations.handle_escalation"]
_HANDLE_ESCALATIONS = [*_OPEN_ESCALATIONS, *_ACT_ON_ESCALATIONS, "escalations.view_quality_figures"]
# The standard phrases: everyone who talks to customers reads them and inserts them; administrators edit them.
_USE_PHRASES = ["phrases.view_phrase", "phrases.add_phraseuse"]

# What each role may do, across all apps, in one table. The Administrator has every permission.
PERMISSIONS = {
    OPERATOR: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_EDIT_CUSTOMERS,
        *_SEE_CLOCKS,
        *_WORK_CALLBACKS,
        *_REGISTER_COMPLAINTS,
        *_OPEN_ESCALATIONS,
    ],
    SUPERVISOR: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_EDIT_CUSTOMERS,
        *_MERGE_CUSTOMERS,
        *_SEE_CLOCKS,
        *_PAUSE_CLOCKS,
        "alerts.view_alert",
        *_LEAD_CALLBACKS,
        *_HANDLE_COMPLAINTS,
        *_HANDLE_ESCALATIONS,
    ],
    HEAD_OF_DEPARTMENT: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_EDIT_CUSTOMERS,
        *_MERGE_CUSTOMERS,
        *_SEE_CLOCKS,
        *_PAUSE_CLOCKS,
        "alerts.view_alert",
        *_LEAD_CALLBACKS,
        *_HANDLE_COMPLAINTS,
        *_HANDLE_ESCALATIONS,
    ],
    BRANCH_MANAGER: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_EDIT_CUSTOMERS,
        *_MERGE_CUSTOMERS,
        *_SEE_CLOCKS,
        *_PAUSE_CLOCKS,
        "alerts.view_alert",
        "calendars.view_calendaroverride",
        *_LEAD_CALLBACKS,
        *_HANDLE_COMPLAINTS,
        *_HANDLE_ESCALATIONS,
    ],
    DEPUTY_DIRECTOR: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_EDIT_CUSTOMERS,
        *_MERGE_CUSTOMERS,
        *_SEE_CLOCKS,
        *_PAUSE_CLOCKS,
        "alerts.view_alert",
        "calendars.view_calendaroverride",
        *_LEAD_CALLBACKS,
        *_HANDLE_COMPLAINTS,
        *_HANDLE_ESCALATIONS,
    ],
    SECURITY: [
        *_VIEW_DIRECTORY,
        *_USE_PHRASES,
        *_SEE_CLOCKS,
        "callbacks.view_callback",
        *_SEE_COMPLAINTS,
        *_ACT_ON_ESCALATIONS,
    ],
}


def grant_permissions(apps, app_label: str) -> None:
    """Give each role its permissions of ``app_label`` from ``PERMISSIONS``, and the Administrator all of them.

    Additive and idempotent. Called by each app's data migration (with the historical ``apps``) and after
    every ``migrate`` or test-database flush (``post_migrate``, with the live registry), so the roles are
    whole again after a flush empties the tables. Permissions are normally made after all migrations, so
    they are made here first.
    """
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
    for role in ALL_ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        codenames = [name.split(".", 1)[1] for name in PERMISSIONS.get(role, []) if name.startswith(f"{app_label}.")]
        if role == ADMINISTRATOR:
            group.permissions.add(*app_permissions)
        elif codenames:
            group.permissions.add(*app_permissions.filter(codename__in=codenames))


def sync_roles(sender, app_config, apps=None, **kwargs):
    """post_migrate: the roles' permissions of the app that was just migrated."""
    from django.apps import apps as live_apps

    if app_config.models_module is not None:
        grant_permissions(apps or live_apps, app_config.label)
