"""The reference data of clocks: the default reasons for a pause. Made by the data migration and made again,
where missing, after every ``migrate`` (and after the test runner empties the tables); existing rows are never
changed: administrators edit them in the admin, and deactivate a reason rather than delete it."""

# label, needs a note (the supervisor completes it in words)
PAUSE_REASONS = [
    ("Waiting for the customer's documents", False),
    ("Customer abroad until…", True),
]


def ensure_pause_reasons(apps) -> None:
    PauseReason = apps.get_model("deadlines", "PauseReason")
    for position, (label, needs_note) in enumerate(PAUSE_REASONS):
        PauseReason.objects.get_or_create(label=label, defaults={"needs_note": needs_note, "position": position})


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "deadlines":
        ensure_pause_reasons(apps or live_apps)
