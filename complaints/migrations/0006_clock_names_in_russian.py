"""The complaint clocks' policies get their Russian names, on a new database and on one that has them already
(unless an administrator renamed them). Frozen: the texts as ``complaints.defaults`` had them."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_labels import fill_translations

# kind: (English, Russian)
POLICIES = {
    "complaint_forwarding": ("Complaint: forwarding to the manager", "Жалоба: передача руководителю"),
    "complaint_answer": ("Complaint: answer within 10 business days", "Жалоба: ответ в течение 10 рабочих дней"),
    "complaint_legal_answer": (
        "Complaint: legal answer term (15 working days)",
        "Жалоба: срок ответа по закону (15 рабочих дней)",
    ),
}


def add_russian(apps, schema_editor):
    fill_translations(
        apps.get_model("deadlines", "ClockPolicy"),
        "kind",
        {kind: {"label": (en, {"ru": ru})} for kind, (en, ru) in POLICIES.items()},
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_email_intake"), ("deadlines", "0009_label_translations")]

    operations = [migrations.RunPython(add_russian, migrations.RunPython.noop)]
