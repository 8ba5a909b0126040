"""The legal answer term (442-FZ) may never be paused: the law gives no pause. The kind is written out here
rather than read from ``complaints.defaults``, so this migration does not change when the live code does."""

from django.db import migrations


def forwards(apps, schema_editor):
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    ClockPolicy.objects.filter(kind="complaint_legal_answer").update(may_pause=False)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_list_order_indexes"),
        ("deadlines", "0005_default_pause_reasons"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
