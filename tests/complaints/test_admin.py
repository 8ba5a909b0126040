"""The admin shows the register read-only: changes go through the services (numbers, clocks, audit)."""

import pytest
from django.urls import reverse

from contactcenter.alerts.models import OutboundEmail
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_register_is_shown_but_not_editable(admin_client, register, staff):
    complaint = register(forward=True)
    changelist = admin_client.get(reverse("admin:complaints_complaint_changelist"), {"q": "MSK-2026"})
    assert complaint.register_number in changelist.content.decode()
    change = admin_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    page = change.content.decode()
    assert change.status_code == 200
    assert complaint.pages.get().get_absolute_url() in page, "photos through the checking view"
    assert "/media-is-not-public/" not in page
    assert admin_client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    assert admin_client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk])).status_code == 403
    assert admin_client.get(reverse("admin:complaints_registercounter_changelist")).status_code == 200


def test_outbound_emails_are_listed_and_can_be_retried(admin_client, register, staff):
    register(forward=True)
    email = OutboundEmail.objects.get()
    assert admin_client.get(reverse("admin:alerts_outboundemail_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:alerts_outboundemail_change", args=[email.pk])).status_code == 200
    response = admin_client.post(
        reverse("admin:alerts_outboundemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
        follow=True,
    )
    assert "1 e-mail will be sent again." in response.content.decode()
