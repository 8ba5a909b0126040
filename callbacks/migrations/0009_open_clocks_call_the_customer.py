"""The callback clocks open before the calling-hours clamp of recomputed clocks say that they call the customer,
as new ones do, so a calendar change or a resumed pause keeps them inside the customer's calling hours. The
reason's term and the retries only: a time agreed with the customer (``promised_to_customer``) may have been
one they asked for outside their hours, which this migration cannot tell, so it stays as it is."""

from django.db import migrations

OPEN_STATES = ("on_track", "due_soon", "overdue")


def _open_callback_clocks(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("deadlines", "Deadline")
    callback_type = ContentType.objects.filter(app_label="callbacks", model="callback").first()
    if callback_type is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        content_type=callback_type, kind="callback_contact", state__in=OPEN_STATES, promised_to_customer=False
    )


def mark_calls_customer(apps, schema_editor):
    for clock in _open_callback_clocks(apps):
        if not (clock.rule or {}).get("calls_customer"):
            clock.rule = {"basis": "fixed", **(clock.rule or {}), "calls_customer": True}
            clock.save(update_fields=["rule"])


def unmark_calls_customer(apps, schema_editor):
    for clock in _open_callback_clocks(apps):
        if (clock.rule or {}).pop("calls_customer", None):
            clock.save(update_fields=["rule"])


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0008_within_the_hour_in_working_hours"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0011_clock_team"),
    ]

    operations = [migrations.RunPython(mark_calls_customer, unmark_calls_customer)]
