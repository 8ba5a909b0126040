"""The policies of a complaint's three clocks (editable in the admin afterwards) and the roles' permissions.

Frozen: the data as ``complaints.defaults`` and ``roles.PERMISSIONS`` had it when this migration was written, so
that editing them never changes what this migration does. What they add later is made after every ``migrate``
(``complaints.defaults.ensure_defaults_after_migrate``, ``roles.sync_roles``).
"""

from datetime import timedelta

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

OWNER, SUPERVISORS, MANAGER, DEPUTY = "owner", "supervisors", "branch_manager", "deputy_director"

POLICIES = [
    {
        # Due at 11:00 on the next business day: the owner (who registered it) hears at 09:00, the branch's
        # supervisors and manager once it is late, the deputy director after half a day.
        "kind": "complaint_forwarding",
        "label": "Complaint: forwarding to the manager",
        "warn_lead": timedelta(hours=2),
        "long_overdue_after": timedelta(hours=4),
        "remind_every": timedelta(hours=2),
        "due_soon_recipients": [OWNER],
        "overdue_recipients": [OWNER, SUPERVISORS, MANAGER],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
    {
        "kind": "complaint_answer",
        "label": "Complaint: answer within 10 business days",
        "warn_share": 0.7,
        "long_overdue_after": timedelta(days=2),
        "remind_every": timedelta(days=1),
        "due_soon_recipients": [OWNER],
        "overdue_recipients": [OWNER, MANAGER],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
    {
        # The law's term: the deputy director hears of it as soon as it is late.
        "kind": "complaint_legal_answer",
        "label": "Complaint: legal answer term (15 working days)",
        "warn_share": 0.8,
        "long_overdue_after": timedelta(days=1),
        "remind_every": timedelta(days=1),
        "due_soon_recipients": [OWNER, MANAGER],
        "overdue_recipients": [OWNER, MANAGER, DEPUTY],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
]

_REGISTER = ["view_complaint", "add_complaint", "forward_complaint"]
_HANDLE = [*_REGISTER, "change_complaint", "answer_complaint"]
COMPLAINTS = {
    "Operator": _REGISTER,
    "Supervisor": _HANDLE,
    "Head of department": _HANDLE,
    "Branch manager": _HANDLE,
    "Deputy director": _HANDLE,
    "Security": ["view_complaint"],
}


def forwards(apps, schema_editor):
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    for policy in POLICIES:
        values = dict(policy)
        ClockPolicy.objects.get_or_create(kind=values.pop("kind"), defaults=values)
    grant(apps, "complaints", COMPLAINTS)


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "ClockPolicy").objects.filter(kind__in=[p["kind"] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
