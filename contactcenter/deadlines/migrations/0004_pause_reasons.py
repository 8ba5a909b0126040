"""Reasons for a pause (an admin-edited list), the permission to pause and resume a clock, and whether a kind
of clock may be paused at all (``ClockPolicy.may_pause``: the legal answer term may not). The default reasons
are made by the next migration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0003_leaner_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PauseReason",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=200, unique=True, verbose_name="name")),
                (
                    "needs_note",
                    models.BooleanField(
                        default=False,
                        help_text="The supervisor must complete it in words, e.g. until when the customer is abroad.",
                        verbose_name="needs a note",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position in lists")),
            ],
            options={
                "verbose_name": "reason for a pause",
                "verbose_name_plural": "reasons for a pause",
                "ordering": ["position", "label"],
            },
        ),
        migrations.AlterModelOptions(
            name="deadline",
            options={
                "ordering": ["due_at"],
                "permissions": [("pause_deadline", "Can pause and resume clocks, with a reason")],
                "verbose_name": "deadline",
                "verbose_name_plural": "deadlines",
            },
        ),
        migrations.AddField(
            model_name="clockpolicy",
            name="may_pause",
            field=models.BooleanField(
                db_default=True,
                default=True,
                editable=False,
                help_text="Set by the app that defines the clock, not in the admin: a legal term (442-FZ) may never be paused.",
                verbose_name="may be paused",
            ),
        ),
    ]
