"""Every channel and category of the register gets its admin-edited name, in English and Russian. Frozen: the
names as ``complaints.defaults`` had them when this migration was written."""

from django.db import migrations

# (list, code, English, Russian)
NAMES = [
    ("channel", "complaint_book", "complaint book", "книга жалоб"),
    ("channel", "personal_reception", "personal reception", "личный приём"),
    ("channel", "letter", "letter or post", "письмо или почтовое отправление"),
    ("channel", "website", "website form", "форма на сайте"),
    ("channel", "phone", "phone", "телефон"),
    ("channel", "email", "e-mail", "эл. почта"),
    ("channel", "questionnaire", "quality questionnaire", "анкета качества обслуживания"),
    ("channel", "dedicated_line", "contact centre's dedicated line", "выделенная линия контакт-центра"),
    ("category", "service", "quality of service", "качество обслуживания"),
    ("category", "staff", "conduct of staff", "поведение сотрудников"),
    ("category", "waiting", "waiting time", "время ожидания"),
    ("category", "products", "products, prices and terms", "продукты, тарифы и условия"),
    ("category", "errors", "errors in documents or transactions", "ошибки в документах или операциях"),
    ("category", "premises", "premises and equipment", "помещения и оборудование"),
    ("category", "remote", "website, app or contact centre", "сайт, приложение или контакт-центр"),
    ("category", "other", "other", "другое"),
]


def add_names(apps, schema_editor):
    ChoiceLabel = apps.get_model("complaints", "ChoiceLabel")
    for field, value, english, russian in NAMES:
        ChoiceLabel.objects.get_or_create(
            field=field, value=value, defaults={"label": english, "label_translations": {"ru": russian}}
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_choice_labels")]

    operations = [migrations.RunPython(add_names, migrations.RunPython.noop)]
