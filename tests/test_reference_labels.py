"""Reference data in the reader's language (``contactcenter/reference_labels.py``): one accessor for every
reference row, the admin's input per language (a row without its Russian name is refused), the shipped
defaults in English and Russian, and the places a label is read: pages, filters, reports, CSV, e-mails."""

import pytest
from django.utils import translation

from callbacks.models import CallbackReason
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import ClockPolicy, PauseReason
from contactcenter.deadlines.names import pause_reason_in_language, pause_reasons_by_english
from contactcenter.reference_labels import fill_translations, in_language
from escalations.models import EscalationKind
from tests import admin_pages as pages

pytestmark = pytest.mark.django_db


def test_the_accessor_follows_the_active_language_and_falls_back_to_english():
    translations = {"ru": "Клиент попросил перезвонить"}
    with translation.override("ru"):
        assert in_language("The customer asked to be called back", translations) == "Клиент попросил перезвонить"
        assert in_language("Cooperation talks", {}) == "Cooperation talks", "English, never a code"
        assert in_language("Cooperation talks", {"ru": "  "}) == "Cooperation talks"
    with translation.override("ru-ru"):
        assert in_language("The customer asked to be called back", translations) == "Клиент попросил перезвонить"
    with translation.override("en"):
        assert in_language("The customer asked to be called back", translations) == (
            "The customer asked to be called back"
        )
    assert in_language("Other", {"ru": "Другое"}, language="ru") == "Другое"


@pytest.mark.parametrize(
    ("model", "key", "english", "russian"),
    [
        (CallbackReason, {"code": "asked_callback"}, "The customer asked to be called back",
         "Клиент попросил перезвонить"),
        (EscalationKind, {"code": "aggressive"}, "Aggressive or threatening", "Агрессия или угрозы"),
        (ClockPolicy, {"kind": "complaint_answer"}, "Complaint: answer within 10 business days",
         "Жалоба: ответ в течение 10 рабочих дней"),
        (PauseReason, {"label": "Waiting for the customer's documents"}, "Waiting for the customer's documents",
         "Ждём документы от клиента"),
    ],
)  # fmt: skip
def test_the_defaults_are_shipped_in_english_and_russian(model, key, english, russian):
    row = model.objects.get(**key)
    with translation.override("en"):
        assert str(row) == english
    with translation.override("ru"):
        assert str(row) == russian


def test_who_calls_back_is_in_the_readers_language_too():
    kind = EscalationKind.objects.get(code="aggressive")
    with translation.override("ru"):
        assert kind.calls_back == "руководитель отдела вместе со службой безопасности"
    assert kind.calls_back == "the head of department, with security"


def test_every_default_row_has_every_language_of_the_product():
    for model in (CallbackReason, EscalationKind, ClockPolicy, PauseReason):
        assert {str(row.label): row.missing_languages() for row in model.objects.all()} == {
            str(row.label): [] for row in model.objects.all()
        }


def test_shipping_fills_what_is_missing_and_never_what_an_administrator_wrote():
    renamed = CallbackReason.objects.get(code="feedback")
    renamed.label, renamed.label_translations = "A customer's opinion", {}
    renamed.save()
    written = CallbackReason.objects.get(code="cooperation")
    written.label_translations = {"ru": "Сотрудничество"}
    written.save()
    emptied = CallbackReason.objects.get(code="urgent")
    emptied.label_translations = {}
    emptied.save()
    shipped = {
        "feedback": {"label": ("Feedback from the customer", {"ru": "Отзыв клиента"})},
        "cooperation": {"label": ("Cooperation talks", {"ru": "Переговоры о сотрудничестве"})},
        "urgent": {"label": ("Urgent: money lost, an emergency", {"ru": "Срочно"})},
    }
    fill_translations(CallbackReason, "code", shipped)
    translations = dict(CallbackReason.objects.values_list("code", "label_translations"))
    assert translations["feedback"] == {}, "renamed in English: the shipped Russian no longer says the same"
    assert translations["cooperation"] == {"ru": "Сотрудничество"}
    assert translations["urgent"] == {"ru": "Срочно"}


REASON_FORM = {
    "code": "card_delivery",
    "label": "Card delivery",
    "due_after": "2",
    "unit": "days",
    "basis": "business",
    "retry_pause": "02:00:00",
    "attempts_before_unreachable": "3",
    "position": "5",
    "is_active": "on",
}


def test_the_admin_refuses_a_reason_without_its_russian_name(admin_client):
    page = admin_client.get(pages.add_page(CallbackReason)).content.decode()
    assert page.index('name="label"') < page.index('name="label_ru"') < page.index('name="due_soon_after"')
    response = admin_client.post(pages.add_page(CallbackReason), {**REASON_FORM, "label_ru": "  "})
    assert response.status_code == 200
    assert "Give it in Russian too." in response.content.decode()
    assert not CallbackReason.objects.filter(code="card_delivery").exists()
    assert not AuditEntry.objects.filter(action="admin.added").exists()


def test_the_admin_keeps_each_language_and_the_trail_records_it(admin_client):
    response = admin_client.post(pages.add_page(CallbackReason), {**REASON_FORM, "label_ru": "Доставка  карты"})
    assert response.status_code == 302
    reason = CallbackReason.objects.get(code="card_delivery")
    assert reason.label_translations == {"ru": "Доставка карты"}
    assert 'value="Доставка карты"' in admin_client.get(pages.change_page(reason)).content.decode()
    response = admin_client.post(pages.change_page(reason), {**REASON_FORM, "label_ru": "Доставка банковской карты"})
    assert response.status_code == 302
    change = AuditEntry.objects.get(action="admin.changed").changes
    before, after = change["label_translations"]
    assert "Доставка карты" in before and "Доставка банковской карты" in after


def test_who_calls_back_needs_its_russian_only_when_it_is_given(admin_client):
    kind = EscalationKind.objects.get(code="other")
    form = {
        "code": "other",
        "label": "Other",
        "label_ru": "Другое",
        "contact_within": "1",
        "unit": "days",
        "basis": "business",
        "first_level": "supervisor",
        "allows_live_transfer": "on",
        "handled_by": "the supervisor on duty",
        "is_active": "on",
        "position": "4",
    }
    response = admin_client.post(pages.change_page(kind), form)
    assert response.status_code == 200 and "Give it in Russian too." in response.content.decode()
    assert admin_client.post(pages.change_page(kind), {**form, "handled_by": ""}).status_code == 302
    kind.refresh_from_db()
    assert (kind.handled_by, kind.handled_by_translations) == ("", {})


def test_a_recorded_pause_is_read_in_the_readers_language():
    reasons = pause_reasons_by_english()
    with translation.override("ru"):
        assert pause_reason_in_language("Customer abroad until…: 12.12", reasons) == "Клиент за границей до…: 12.12"
        assert pause_reason_in_language("Waiting for the customer's documents", reasons) == "Ждём документы от клиента"
        assert pause_reason_in_language("Something typed long ago", reasons) == "Something typed long ago"
    assert pause_reason_in_language("Customer abroad until…: 12.12", reasons) == "Customer abroad until…: 12.12"
