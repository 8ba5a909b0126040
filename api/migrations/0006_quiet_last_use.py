"""Noting an API client's last use or a person's login no longer ends the cached reference values
(``contactcenter.reference_cache``): an ``UPDATE`` that sets only ``last_used_at`` / ``last_login`` leaves the
token alone, so it neither makes every process read the set-up again nor waits for an administrator's edit of
the set-up to commit (the token row's lock). The columns are listed as they are now; ``tests/test_reference_cache.py``
fails when a column is added without being listed here or in a later migration."""

from django.db import migrations

from contactcenter.directory.migrations._frozen_reference_triggers import generation_triggers_on_update_of

API_CLIENT_COLUMNS = [
    "id", "name", "scopes", "account_id", "token_lookup", "token_hash", "expires_at", "revoked_at",
    "requests_per_minute", "created_at",
]  # fmt: skip
USER_COLUMNS = [
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active",
    "date_joined", "language",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0005_reference_generation"),
    ]

    operations = [
        generation_triggers_on_update_of("api_apiclient", API_CLIENT_COLUMNS),
        generation_triggers_on_update_of("directory_user", USER_COLUMNS),
    ]
