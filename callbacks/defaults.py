"""The reference data callbacks need: the default reasons with their clocks, and the clock policy of a
promised contact. Made by the data migration and made again, where missing, after every ``migrate`` (and
after the test runner empties the tables), so the product never runs without them. Existing rows are
never changed (but for a missing translation of a default's unedited name): administrators edit them in
the admin (and deactivate a reason rather than delete it). Every name is shipped in English and Russian.
"""

from datetime import timedelta

from contactcenter.reference_labels import fill_translations

# code, label, due soon after, overdue after, unit, basis, pause between attempts, attempts before unreachable
REASONS = [
    ("urgent", "Urgent: money lost, an emergency", None, 15, "minutes", "calendar", timedelta(minutes=15), 5),
    ("asked_callback", "The customer asked to be called back", None, 1, "hours", "business", timedelta(hours=1), 3),
    (
        "request_submitted",
        "A request or application was submitted",
        None,
        24,
        "hours",
        "calendar",
        timedelta(hours=2),
        3,
    ),
    (
        "left_number",
        "The customer left a number and waits for an answer",
        None,
        24,
        "hours",
        "calendar",
        timedelta(hours=2),
        3,
    ),
    (
        "loan_question",
        "A loan or mortgage question not answered on the spot",
        None,
        48,
        "hours",
        "calendar",
        timedelta(hours=3),
        3,
    ),
    ("feedback", "Feedback from the customer", None, 48, "hours", "calendar", timedelta(hours=3), 3),
    ("cooperation", "Cooperation talks", 1, 2, "days", "business", timedelta(hours=4), 3),
    ("more_information", "Extra information must be found", 2, 3, "days", "business", timedelta(hours=4), 3),
]

# The Russian name of each reason, by its code.
REASONS_RU = {
    "urgent": "Срочно: потеря денег, чрезвычайная ситуация",
    "asked_callback": "Клиент попросил перезвонить",
    "request_submitted": "Подана заявка или обращение",
    "left_number": "Клиент оставил номер и ждёт ответа",
    "loan_question": "Вопрос по кредиту или ипотеке, не решённый на месте",
    "feedback": "Отзыв клиента",
    "cooperation": "Переговоры о сотрудничестве",
    "more_information": "Нужно найти дополнительную информацию",
}

POLICY = {
    "kind": "callback_contact",
    "label": "Callback: the promised contact",
    "warn_share": 0.75,
    "long_overdue_after": timedelta(hours=4),
    "remind_every": timedelta(minutes=30),
    "due_soon_recipients": ["owner"],
    "overdue_recipients": ["owner", "supervisors"],
    "long_overdue_recipients": ["head_of_department", "branch_manager"],
}
POLICY_RU = "Обратный звонок: обещанный контакт с клиентом"


def ensure_defaults(apps) -> None:
    CallbackReason = apps.get_model("callbacks", "CallbackReason")
    for position, (code, label, soon, due, unit, basis, pause, attempts) in enumerate(REASONS):
        CallbackReason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "due_soon_after": soon,
                "due_after": due,
                "unit": unit,
                "basis": basis,
                "retry_pause": pause,
                "attempts_before_unreachable": attempts,
                "position": position,
            },
        )
    fill_translations(
        CallbackReason,
        "code",
        {row[0]: {"label": (row[1], {"ru": REASONS_RU[row[0]]})} for row in REASONS},
    )
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    ClockPolicy.objects.get_or_create(kind=POLICY["kind"], defaults=POLICY)
    fill_translations(ClockPolicy, "kind", {POLICY["kind"]: {"label": (POLICY["label"], {"ru": POLICY_RU})}})


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "callbacks":
        ensure_defaults(apps or live_apps)
