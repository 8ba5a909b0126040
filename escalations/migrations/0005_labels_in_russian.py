"""The default escalation kinds (their names and who calls back) and the levels' clock policies get their
Russian names, on a new database and on one that has them already (unless an administrator renamed them).
Frozen: the texts as ``escalations.defaults`` had them."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_labels import fill_translations

# code: (English name, Russian name, English "who calls back", Russian "who calls back")
KINDS = {
    "demands_supervisor": (
        "Demands a supervisor",
        "Требует супервайзера",
        "the supervisor on duty",
        "дежурный супервайзер",
    ),
    "complaint_about_operator": (
        "Complaint about the operator",
        "Жалоба на оператора",
        "the supervisor, with quality control",
        "супервайзер вместе с контролем качества",
    ),
    "aggressive": (
        "Aggressive or threatening",
        "Агрессия или угрозы",
        "the head of department, with security",
        "руководитель отдела вместе со службой безопасности",
    ),
    "system_failure": (
        "Repeated system failure",
        "Повторный сбой системы",
        "the supervisor, with customer service",
        "супервайзер вместе со службой клиентского сервиса",
    ),
    "other": ("Other", "Другое", "the supervisor on duty", "дежурный супервайзер"),
}
# kind: (English, Russian)
POLICIES = {
    "escalation_supervisor": (
        "Escalation: the supervisor calls the customer back",
        "Эскалация: супервайзер перезванивает клиенту",
    ),
    "escalation_head_of_department": (
        "Escalation: the head of department calls the customer back",
        "Эскалация: руководитель отдела перезванивает клиенту",
    ),
    "escalation_security": (
        "Escalation: security contacts the customer",
        "Эскалация: служба безопасности связывается с клиентом",
    ),
}


def add_russian(apps, schema_editor):
    fill_translations(
        apps.get_model("escalations", "EscalationKind"),
        "code",
        {
            code: {"label": (label, {"ru": label_ru}), "handled_by": (by, {"ru": by_ru})}
            for code, (label, label_ru, by, by_ru) in KINDS.items()
        },
    )
    fill_translations(
        apps.get_model("deadlines", "ClockPolicy"),
        "kind",
        {kind: {"label": (en, {"ru": ru})} for kind, (en, ru) in POLICIES.items()},
    )


class Migration(migrations.Migration):
    dependencies = [("escalations", "0004_label_translations"), ("deadlines", "0009_label_translations")]

    operations = [migrations.RunPython(add_russian, migrations.RunPython.noop)]
