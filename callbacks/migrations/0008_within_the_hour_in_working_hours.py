""" "Within the hour" counts the hours the team works: asked at 17:29 on a Friday, due Monday 09:29, not at 18:29
after the centre has closed. Only the default reason as the first migration made it changes; one an
administrator has edited keeps what they chose."""

from django.db import migrations


def count_working_hours(apps, schema_editor):
    CallbackReason = apps.get_model("callbacks", "CallbackReason")
    CallbackReason.objects.filter(code="asked_callback", due_after=1, unit="hours", basis="calendar").update(
        basis="business"
    )


def count_calendar_hours(apps, schema_editor):
    CallbackReason = apps.get_model("callbacks", "CallbackReason")
    CallbackReason.objects.filter(code="asked_callback", due_after=1, unit="hours", basis="business").update(
        basis="calendar"
    )


class Migration(migrations.Migration):
    dependencies = [("callbacks", "0007_log_attempt_before_retry")]

    operations = [migrations.RunPython(count_working_hours, count_calendar_hours)]
