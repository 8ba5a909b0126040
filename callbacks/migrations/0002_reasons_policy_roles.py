"""The default callback reasons with their clocks, the clock policy of a promised contact, and the roles'
permissions on callbacks.

Frozen: the data as ``callbacks.defaults`` and ``roles.PERMISSIONS`` had it when this migration was written, so
that editing them never changes what this migration does. What they add later is made after every ``migrate``
(``callbacks.defaults.ensure_defaults_after_migrate``, ``roles.sync_roles``).
"""

from datetime import timedelta

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

# code, label, due soon after, overdue after, unit, basis, pause between attempts, attempts before unreachable
REASONS = [
    ("urgent", "Urgent: money lost, an emergency", None, 15, "minutes", "calendar", timedelta(minutes=15), 5),
    ("asked_callback", "The customer asked to be called back", None, 1, "hours", "calendar", timedelta(hours=1), 3),
    (
        "request_submitted",
        "A request or application was submitted",
        None,
        24,
        "hours",
        "calendar",
        timedelta(hours=2),
        3,
    ),
    (
        "left_number",
        "The customer left a number and waits for an answer",
        None,
        24,
        "hours",
        "calendar",
        timedelta(hours=2),
        3,
    ),
    (
        "loan_question",
        "A loan or mortgage question not answered on the spot",
        None,
        48,
        "hours",
        "calendar",
        timedelta(hours=3),
        3,
    ),
    ("feedback", "Feedback from the customer", None, 48, "hours", "calendar", timedelta(hours=3), 3),
    ("cooperation", "Cooperation talks", 1, 2, "days", "business", timedelta(hours=4), 3),
    ("more_information", "Extra information must be found", 2, 3, "days", "business", timedelta(hours=4), 3),
]

POLICY = {
    "kind": "callback_contact",
    "label": "Callback: the promised contact",
    "warn_share": 0.75,
    "long_overdue_after": timedelta(hours=4),
    "remind_every": timedelta(minutes=30),
    "due_soon_recipients": ["owner"],
    "overdue_recipients": ["owner", "supervisors"],
    "long_overdue_recipients": ["head_of_department", "branch_manager"],
}

_WORK = ["view_callback", "add_callback", "change_callback"]
_LEAD = [*_WORK, "reassign_callback"]
CALLBACKS = {
    "Operator": _WORK,
    "Supervisor": _LEAD,
    "Head of department": _LEAD,
    "Branch manager": _LEAD,
    "Deputy director": _LEAD,
    "Security": ["view_callback"],
}


def forwards(apps, schema_editor):
    CallbackReason = apps.get_model("callbacks", "CallbackReason")
    for position, (code, label, soon, due, unit, basis, pause, attempts) in enumerate(REASONS):
        CallbackReason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "due_soon_after": soon,
                "due_after": due,
                "unit": unit,
                "basis": basis,
                "retry_pause": pause,
                "attempts_before_unreachable": attempts,
                "position": position,
            },
        )
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    ClockPolicy.objects.get_or_create(kind=POLICY["kind"], defaults=POLICY)
    grant(apps, "callbacks", CALLBACKS)


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0001_initial"),
        ("deadlines", "0002_schedule_and_roles"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
