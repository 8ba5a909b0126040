"""Callback reasons end the cached reference values when they change (``contactcenter.reference_cache``)."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_reference_triggers import generation_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0009_open_clocks_call_the_customer"),
        ("directory", "0014_reference_generation"),
    ]

    operations = [
        generation_triggers("callbacks_callbackreason"),
    ]
