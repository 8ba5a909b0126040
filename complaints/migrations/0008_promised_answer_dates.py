"""The answer date and the legal term of every open complaint were given to its customer (the acknowledgement):
mark their open clocks so, like those of the complaints registered from now on, so that a later move of them
asks for the customer to be told. Frozen: the kinds as ``complaints.models`` names them."""

from django.db import migrations

PROMISED_KINDS = ("complaint_answer", "complaint_legal_answer")
OPEN_STATES = ("on_track", "due_soon", "overdue")


def mark_promised(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("deadlines", "Deadline")
    complaint_type = ContentType.objects.filter(app_label="complaints", model="complaint").first()
    if complaint_type is None:  # a new database: no complaint yet
        return
    Deadline.objects.filter(content_type=complaint_type, kind__in=PROMISED_KINDS, state__in=OPEN_STATES).update(
        promised_to_customer=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_letter_templates"),
        ("deadlines", "0008_customer_told_of_moves"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(mark_promised, migrations.RunPython.noop)]
