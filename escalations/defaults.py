"""The reference data escalations need: the default kinds with their terms, and the clock policy of each
level. Made by the data migration and made again, where missing, after every ``migrate`` (and after the
test runner empties the tables). Existing rows are never changed: administrators edit them in the admin
(and deactivate a kind rather than delete it); only a missing translation of a default's unedited text is
filled. Every name is shipped in English and Russian.
"""

from datetime import timedelta

from contactcenter.reference_labels import fill_translations

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

# The Russian name of each kind and of who calls back, by the kind's code.
KINDS_RU = {
    "demands_supervisor": ("Требует супервайзера", "дежурный супервайзер"),
    "complaint_about_operator": ("Жалоба на оператора", "супервайзер вместе с контролем качества"),
    "aggressive": ("Агрессия или угрозы", "руководитель отдела вместе со службой безопасности"),
    "system_failure": ("Повторный сбой системы", "супервайзер вместе со службой клиентского сервиса"),
    "other": ("Другое", "дежурный супервайзер"),
}

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
POLICIES_RU = {
    "escalation_supervisor": "Эскалация: супервайзер перезванивает клиенту",
    "escalation_head_of_department": "Эскалация: руководитель отдела перезванивает клиенту",
    "escalation_security": "Эскалация: служба безопасности связывается с клиентом",
}


def ensure_defaults(apps) -> None:
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
    fill_translations(
        EscalationKind,
        "code",
        {
            row[0]: {
                "label": (row[1], {"ru": KINDS_RU[row[0]][0]}),
                "handled_by": (row[9], {"ru": KINDS_RU[row[0]][1]}),
            }
            for row in KINDS
        },
    )
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    for policy in POLICIES:
        values = dict(policy)
        ClockPolicy.objects.get_or_create(kind=values.pop("kind"), defaults=values)
    names = {row["kind"]: {"label": (row["label"], {"ru": POLICIES_RU[row["kind"]]})} for row in POLICIES}
    fill_translations(ClockPolicy, "kind", names)


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "escalations":
        ensure_defaults(apps or live_apps)
