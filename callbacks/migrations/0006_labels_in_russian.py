"""The default callback reasons and the promised contact's clock policy get their Russian names, on a new
database and on one that has them already (unless an administrator renamed them). Frozen: the texts as
``callbacks.defaults`` had them."""

from django.db import migrations

from contactcenter.deadlines.migrations._frozen_labels import fill_translations

# code: (English, Russian)
REASONS = {
    "urgent": ("Urgent: money lost, an emergency", "Срочно: потеря денег, чрезвычайная ситуация"),
    "asked_callback": ("The customer asked to be called back", "Клиент попросил перезвонить"),
    "request_submitted": ("A request or application was submitted", "Подана заявка или обращение"),
    "left_number": ("The customer left a number and waits for an answer", "Клиент оставил номер и ждёт ответа"),
    "loan_question": (
        "A loan or mortgage question not answered on the spot",
        "Вопрос по кредиту или ипотеке, не решённый на месте",
    ),
    "feedback": ("Feedback from the customer", "Отзыв клиента"),
    "cooperation": ("Cooperation talks", "Переговоры о сотрудничестве"),
    "more_information": ("Extra information must be found", "Нужно найти дополнительную информацию"),
}
POLICIES = {"callback_contact": ("Callback: the promised contact", "Обратный звонок: обещанный контакт с клиентом")}


def add_russian(apps, schema_editor):
    for model, key, texts in (
        (apps.get_model("callbacks", "CallbackReason"), "code", REASONS),
        (apps.get_model("deadlines", "ClockPolicy"), "kind", POLICIES),
    ):
        fill_translations(model, key, {code: {"label": (en, {"ru": ru})} for code, (en, ru) in texts.items()})


class Migration(migrations.Migration):
    dependencies = [("callbacks", "0005_label_translations"), ("deadlines", "0009_label_translations")]

    operations = [migrations.RunPython(add_russian, migrations.RunPython.noop)]
