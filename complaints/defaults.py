"""The reference data complaints need: the policies of a complaint's three clocks. Made by the data migration
and made again, where missing, after every ``migrate`` (and after the test runner empties the tables), so the
register never runs without them. Existing rows are never changed (but for a missing translation of a
default's unedited name): administrators edit them in the admin. Every name is shipped in English and Russian.
"""

from datetime import timedelta

from contactcenter.reference_labels import fill_translations

OWNER, SUPERVISORS, MANAGER, DEPUTY = "owner", "supervisors", "branch_manager", "deputy_director"

POLICIES = [
    {
        # Due at 11:00 on the next business day: the owner (who registered it) hears at 09:00, the branch's
        # supervisors and manager once it is late, the deputy director after half a day.
        "kind": "complaint_forwarding",
        "label": "Complaint: forwarding to the manager",
        "warn_lead": timedelta(hours=2),
        "long_overdue_after": timedelta(hours=4),
        "remind_every": timedelta(hours=2),
        "due_soon_recipients": [OWNER],
        "overdue_recipients": [OWNER, SUPERVISORS, MANAGER],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
    {
        "kind": "complaint_answer",
        "label": "Complaint: answer within 10 business days",
        "warn_share": 0.7,
        "long_overdue_after": timedelta(days=2),
        "remind_every": timedelta(days=1),
        "due_soon_recipients": [OWNER],
        "overdue_recipients": [OWNER, MANAGER],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
    {
        # The law's term: the deputy director hears of it as soon as it is late.
        "kind": "complaint_legal_answer",
        "label": "Complaint: legal answer term (15 working days)",
        "warn_share": 0.8,
        "long_overdue_after": timedelta(days=1),
        "remind_every": timedelta(days=1),
        "due_soon_recipients": [OWNER, MANAGER],
        "overdue_recipients": [OWNER, MANAGER, DEPUTY],
        "long_overdue_recipients": [MANAGER, DEPUTY],
    },
]
POLICIES_RU = {
    "complaint_forwarding": "Жалоба: передача руководителю",
    "complaint_answer": "Жалоба: ответ в течение 10 рабочих дней",
    "complaint_legal_answer": "Жалоба: срок ответа по закону (15 рабочих дней)",
}


# The names of the register's channels and categories, in English and Russian: (list, code, English, Russian).
# The codes are fixed by ``models.Channel`` and ``models.Category``; their names are edited in the admin.
CHOICE_NAMES = [
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


# The clocks the law gives no pause: never paused, whatever the admin does (``ClockPolicy.may_pause`` is not
# in its form, and is set again after every migrate).
NEVER_PAUSED = ["complaint_legal_answer"]


def ensure_defaults(apps) -> None:
    ClockPolicy = apps.get_model("deadlines", "ClockPolicy")
    for policy in POLICIES:
        values = dict(policy)
        ClockPolicy.objects.get_or_create(kind=values.pop("kind"), defaults=values)
    names = {row["kind"]: {"label": (row["label"], {"ru": POLICIES_RU[row["kind"]]})} for row in POLICIES}
    fill_translations(ClockPolicy, "kind", names)
    ChoiceLabel = apps.get_model("complaints", "ChoiceLabel")
    for field, value, english, russian in CHOICE_NAMES:
        ChoiceLabel.objects.get_or_create(
            field=field, value=value, defaults={"label": english, "label_translations": {"ru": russian}}
        )


def ensure_defaults_after_migrate(sender, app_config, apps=None, **kwargs):
    from django.apps import apps as live_apps

    if app_config.label == "complaints":
        apps = apps or live_apps
        ensure_defaults(apps)
        apps.get_model("deadlines", "ClockPolicy").objects.filter(kind__in=NEVER_PAUSED).update(may_pause=False)


# The default answer letters' names (``manage.py default_letter_templates``, ``seed_demo``).
DEFAULT_LETTER_NAMES = {"en": "Default answer letter", "ru": "Ответ на жалобу (по умолчанию)"}


def ensure_default_letter_templates() -> list:
    """The templates added: one per language of the product that has no template for every branch yet."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    from .letters import default_template_docx
    from .models import LetterTemplate

    added = []
    for language, _name in settings.LANGUAGES:
        if LetterTemplate.objects.filter(branch=None, language=language).exists():
            continue
        template = LetterTemplate(
            name=DEFAULT_LETTER_NAMES.get(language, DEFAULT_LETTER_NAMES["en"]), language=language
        )
        template.file.save(f"default-{language}.docx", ContentFile(default_template_docx(language)), save=False)
        template.save()
        added.append(template)
    return added
