"""The outbox in the admin: alerts and outbound e-mails are looked at, and failed ones are tried again through the
audited services."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from contactcenter.alerts.models import Alert, MailServerStatus, OutboundEmail
from contactcenter.alerts.outbound import queue_email
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines import services as clocks
from contactcenter.deadlines.models import Level
from tests import admin_pages as pages
from tests.factories import CustomerFactory


@pytest.fixture
def add_alerts(msk, operator, policy):
    """A clock with three alerts to the operator: one waiting, one sent, one given up; and two e-mails."""

    def add():
        case = CustomerFactory(branch=msk)
        clock = clocks.open_clock(
            case=case, kind=policy.kind, branch=msk, owner=operator, due_at=timezone.now() + timedelta(hours=1)
        )
        now = timezone.now()
        for reminder, done in enumerate([{}, {"sent_at": now, "message_id": "<a@b>"}, {"failed_at": now}]):
            Alert.objects.create(
                deadline=clock,
                level=Level.OVERDUE,
                reminder=reminder,
                recipient=operator,
                created_at=now,
                next_attempt_at=now,
                last_error="Connection refused" if "failed_at" in done else "",
                **done,
            )
        queue_email(
            purpose="callback_unreachable",
            to=["sup@example.com"],
            subject="Unreachable",
            text="…",
            requested_by=operator,
        )
        sent = queue_email(purpose="complaint.forwarding", to=["boss@example.com"], subject="Complaint", text="…")
        OutboundEmail.objects.filter(pk=sent.pk).update(sent_at=now, message_id="<c@d>")

    return add


@pytest.mark.parametrize("model", [Alert, OutboundEmail])
def test_every_list_filter_opens_and_matches(admin_client, add_alerts, model):
    add_alerts()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [Alert, OutboundEmail])
def test_a_list_costs_the_same_for_more_rows(admin_client, add_alerts, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_alerts)


def test_the_lists_are_searched_and_filtered(admin_client, add_alerts, operator):
    add_alerts()
    failed = pages.shown(admin_client.get(pages.changelist(Alert), {"q": "refused"}))
    assert [alert.status for alert in failed] == ["failed"]
    assert len(pages.shown(admin_client.get(pages.changelist(Alert), {"q": operator.email}))) == 3
    waiting = pages.shown(
        admin_client.get(pages.changelist(Alert), {"sent_at__isempty": "1", "failed_at__isempty": "1"})
    )
    assert [alert.status for alert in waiting] == ["pending"]
    emails = pages.shown(admin_client.get(pages.changelist(OutboundEmail), {"q": "boss@example"}))
    assert [email.subject for email in emails] == ["Complaint"]
    emails = pages.shown(admin_client.get(pages.changelist(OutboundEmail), {"purpose__exact": "callback_unreachable"}))
    assert [email.subject for email in emails] == ["Unreachable"]


@pytest.mark.parametrize("model", [Alert, OutboundEmail])
def test_the_outbox_is_shown_but_not_added_to_or_deleted(admin_client, add_alerts, model):
    add_alerts()
    row = model.objects.first()
    assert admin_client.get(pages.change_page(row)).status_code == 200
    assert admin_client.get(pages.add_page(model)).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403


def retry(client, model, rows):
    return client.post(
        pages.changelist(model), {"action": "retry_now", "_selected_action": [row.pk for row in rows]}, follow=True
    )


def test_retrying_alerts_sends_the_unsent_ones_again_and_is_audited(admin_client, add_alerts):
    add_alerts()
    failed, sent = Alert.objects.get(failed_at__isnull=False), Alert.objects.get(sent_at__isnull=False)
    response = retry(admin_client, Alert, [failed, sent])
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["1 alert will be sent again."]
    failed.refresh_from_db()
    assert (failed.failed_at, failed.attempts, failed.status) == (None, 0, "pending")
    entry = AuditEntry.objects.get(action="alert.retried")
    assert (entry.object_id, entry.actor.username, entry.note) == (failed.pk, "root", "Connection refused")
    sent_before = sent.sent_at
    sent.refresh_from_db()
    assert sent.sent_at == sent_before, "a sent alert is never sent again"


@pytest.mark.parametrize(("model", "app"), [(Alert, "alerts.%s_alert"), (OutboundEmail, "alerts.%s_outboundemail")])
def test_retrying_needs_the_change_permission(client, add_alerts, model, app):
    add_alerts()
    row = model.objects.get(failed_at__isnull=False) if model is Alert else model.objects.filter(sent_at=None).first()
    before = row.next_attempt_at
    client.force_login(pages.staff_with(app % "view", username="looker-staff"))
    assert pages.actions_offered(client, model) == set()
    retry(client, model, [row])
    row.refresh_from_db()
    assert row.next_attempt_at == before
    assert not AuditEntry.objects.exists()

    client.force_login(pages.staff_with(app % "view", app % "change", username="admin-staff"))
    assert pages.actions_offered(client, model) == {"retry_now"}
    retry(client, model, [row])
    assert AuditEntry.objects.get().actor.username == "admin-staff"


def test_the_mail_servers_status_is_shown_read_only(admin_client):
    down_since = timezone.now() - timedelta(minutes=12)
    MailServerStatus.record_failure(error="ConnectionRefusedError: [Errno 111] Connection refused", at=down_since)

    response = admin_client.get(pages.changelist(MailServerStatus))

    assert pages.shown(response) == [MailServerStatus.objects.get()]
    assert "Connection refused" in response.content.decode()
    assert admin_client.get(pages.add_page(MailServerStatus)).status_code == 403
    status = MailServerStatus.objects.get()
    assert admin_client.post(pages.change_page(status), {"last_error": ""}).status_code == 403
    assert MailServerStatus.objects.get().last_error.startswith("ConnectionRefusedError")
