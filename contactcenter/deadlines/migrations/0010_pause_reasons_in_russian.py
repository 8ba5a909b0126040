"""The default reasons for a pause get their Russian names, on a new database and on one that has them already
(unless an administrator renamed them). Frozen: the texts as ``deadlines.defaults`` had them."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_labels import fill_translations

PAUSE_REASONS_RU = {
    "Waiting for the customer's documents": "Ждём документы от клиента",
    "Customer abroad until…": "Клиент за границей до…",
}


def add_russian(apps, schema_editor):
    fill_translations(
        apps.get_model("deadlines", "PauseReason"),
        "label",
        {english: {"label": (english, {"ru": russian})} for english, russian in PAUSE_REASONS_RU.items()},
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0009_label_translations")]

    operations = [migrations.RunPython(add_russian, migrations.RunPython.noop)]
