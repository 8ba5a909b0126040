"""The reference data of clocks: the default reasons for a pause. Made by the data migration and made again,
where missing, after every ``migrate`` (and after the test runner empties the tables); existing rows are never
changed (but for a missing translation of a default's unedited name): administrators edit them in the admin,
and deactivate a reason rather than delete it. Every name is shipped in English and Russian."""

from contactcenter.reference_labels import fill_translations

# label, needs a note (the supervisor completes it in words), the Russian label
PAUSE_REASONS = [
    ("Waiting for the customer's documents", False, "Ждём документы от клиента"),
    ("Customer abroad until…", True, "Клиент за границей до…"),
]


def ensure_pause_reasons(apps) -> None:
    PauseReason = apps.get_model("deadlines", "PauseReason")
    for position, (label, needs_note, _russian) in enumerate(PAUSE_REASONS):
        PauseReason.objects.get_or_create(label=label, defaults={"needs_note": needs_note, "position": position})
    fill_translations(PauseReason, "label", {row[0]: {"label": (row[0], {"ru": row[2]})} for row in PAUSE_REASONS})


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "deadlines":
        ensure_pause_reasons(apps or live_apps)
