"""One format per language for a moment wherever it is read (``contactcenter.formats``): an escalation's call-back
moment on its page, in the flash message after it was opened, in the staff notice e-mail and in the CSV."""

import pytest
from django.urls import reverse
from django.utils import translation

from contactcenter.alerts.models import OutboundEmail
from contactcenter.formats import moment_text
from escalations.models import Escalation
from tests.downloads import csv_rows

from .conftest import kind


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_same_moment_reads_the_same_on_the_page_in_the_flash_the_e_mail_and_the_csv(
    client,
    staff,
    msk,
    monday_morning,
    language,
):
    """An escalation opened on Monday 23 November 2026 at 10:00 in Moscow is due back at 12:00."""
    for person in staff.values():
        person.language = language
        person.save(update_fields=["language"])
    client.force_login(staff["operator"])
    response = client.post(
        reverse("escalations:create"),
        {
            "branch": msk.pk,
            "customer_phone": "+79031112233",
            "customer_name": "Maria Kuznetsova",
            "kind": kind("demands_supervisor").pk,
            "customer_wants": "Wants to speak to whoever can cancel the fee.",
            "transfer": "",
        },
        follow=True,
    )
    escalation = Escalation.objects.get()
    expected = "23.11.2026 12:00"
    with translation.override(language):
        assert moment_text(escalation.due_at, escalation.branch.tz) == expected
    flash = [str(message) for message in response.context["messages"]]
    assert len(flash) == 1 and expected in flash[0], flash
    page = response.content.decode()
    assert page.count(expected) >= 2, "the flash message and the page's own 'call back by'"
    notices = OutboundEmail.objects.all()
    assert notices.exists() and all(expected in notice.text_body for notice in notices)
    client.force_login(staff["supervisor"])
    rows = csv_rows(client.get(reverse("escalations:list"), {"format": "csv"}), ";" if language == "ru" else ",")
    assert expected in rows[1], rows
