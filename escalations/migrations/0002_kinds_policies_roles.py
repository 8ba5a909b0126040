"""The default escalation kinds with their terms, the clock policy of each level, and the roles' permissions on
escalations.

Frozen: the data as ``escalations.defaults`` and ``roles.PERMISSIONS`` had it when this migration was written, so
that editing them never changes what this migration does. What they add later is made after every ``migrate``
(``escalations.defaults.ensure_defaults_after_migrate``, ``roles.sync_roles``).
"""

from datetime import timedelta

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

# code, label, call back within, unit, basis, first level, security told at once, live transfer allowed,
# about an operator, who calls back
KINDS = [
    (
        "demands_supervisor",
        "Demands a supervisor",
        2,
        "hours",
        "business",
        "supervisor",
        False,
        True,
        False,
        "the supervisor on duty",
    ),
    (
        "complaint_about_operator",
        "Complaint about the operator",
        1,
        "days",
        "business",
        "supervisor",
        False,
        True,
        True,
        "the supervisor, with quality control",
    ),
    (
        "aggressive",
        "Aggressive or threatening",
        1,
        "hours",
        "calendar",
        "head_of_department",
        True,
        True,
        False,
        "the head of department, with security",
    ),
    (
        "system_failure",
        "Repeated system failure",
        1,
        "days",
        "business",
        "supervisor",
        False,
        True,
        False,
        "the supervisor, with customer service",
    ),
    ("other", "Other", 1, "days", "business", "supervisor", False, True, False, "the supervisor on duty"),
]

# One policy per level: each level's holders hear of their own clock; once it is overdue for long, the
# branch's manager and the deputy director do. Nobody acknowledging it in time raises the escalation (the
# scan's handler in ``services``), so "overdue" at a level is the moment it leaves that level.
_LEVEL_POLICY = {
    "warn_share": 0.5,
    "remind_every": timedelta(minutes=30),
    "long_overdue_recipients": ["branch_manager", "deputy_director"],
}
POLICIES = [
    {
        **_LEVEL_POLICY,
        "kind": "escalation_supervisor",
        "label": "Escalation: the supervisor calls the customer back",
        "long_overdue_after": timedelta(hours=2),
        "due_soon_recipients": ["supervisors"],
        "overdue_recipients": ["supervisors"],
    },
    {
        **_LEVEL_POLICY,
        "kind": "escalation_head_of_department",
        "label": "Escalation: the head of department calls the customer back",
        "long_overdue_after": timedelta(hours=2),
        "due_soon_recipients": ["head_of_department"],
        "overdue_recipients": ["head_of_department"],
    },
    {
        **_LEVEL_POLICY,
        "kind": "escalation_security",
        "label": "Escalation: security contacts the customer",
        "long_overdue_after": timedelta(hours=1),
        "due_soon_recipients": ["security"],
        "overdue_recipients": ["security", "head_of_department"],
    },
]

_OPEN = ["view_escalation", "add_escalation", "add_transferattempt"]
_ACT = ["view_escalation", "change_escalation", "handle_escalation"]
_HANDLE = [*_OPEN, *_ACT, "view_quality_figures"]
ESCALATIONS = {
    "Operator": _OPEN,
    "Supervisor": _HANDLE,
    "Head of department": _HANDLE,
    "Branch manager": _HANDLE,
    "Deputy director": _HANDLE,
    "Security": _ACT,
}


def forwards(apps, schema_editor):
    EscalationKind = apps.get_model("escalations", "EscalationKind")
    for position, row in enumerate(KINDS):
        code, label, within, unit, basis, level, security, transfer, names_operator, handled_by = row
        EscalationKind.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "contact_within": within,
                "unit": unit,
                "basis": basis,
                "first_level": level,
                "tells_security_at_once": security,
                "allows_live_transfer": transfer,
                "names_an_operator": names_operator,
                "handled_by": handled_by,
                "position": position,
            },
        )
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    for policy in POLICIES:
        values = dict(policy)
        ClockPolicy.objects.get_or_create(kind=values.pop("kind"), defaults=values)
    grant(apps, "escalations", ESCALATIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
