"""API clients, their branches, their webhook subscriptions and the staff records (a client's account) end the
cached reference values when they change (``contactcenter.reference_cache``: the authenticated client and the
webhooks' audience are kept in the process)."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_reference_triggers import generation_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_webhook_schedule"),
        ("directory", "0014_reference_generation"),
    ]

    operations = [
        generation_triggers("api_webhooksubscription", "api_apiclient", "api_apiclient_branches", "directory_user"),
    ]
