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
