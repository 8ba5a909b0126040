"""Webhook deliveries get a retention period (30 days; a frozen copy of the default, as in 0002)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    RetentionPeriod.objects.get_or_create(kind="webhook_deliveries", defaults={"days": 30})


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_default_periods_and_schedule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="retentionperiod",
            name="kind",
            field=models.CharField(
                choices=[
                    ("outbox_email_bodies", "bodies of sent e-mails"),
                    ("closed_callbacks", "closed callbacks"),
                    ("closed_complaints", "closed complaints and their photos"),
                    ("audit_entries", "audit trail entries"),
                    ("webhook_deliveries", "delivered and given-up webhooks"),
                ],
                max_length=32,
                unique=True,
                verbose_name="kind of data",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
