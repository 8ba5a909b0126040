"""Sending the outbox through a real SMTP server (aiosmtpd), with it up, down and back."""

from datetime import timedelta

from contactcenter.alerts.models import Alert
from contactcenter.alerts.outbox import outbox_retry
from contactcenter.alerts.services import retry_delay, send_alerts, send_digest
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines import services
from contactcenter.deadlines.scan import scan_deadlines
from tests.factories import CustomerFactory
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 2)


def test_one_digest_per_recipient_with_text_html_and_absolute_links(overdue_clock, people, smtp_server, settings):
    settings.SITE_URL = "https://backoffice.example.com"
    result = send_alerts(now=NOW)
    assert (result.digests_sent, result.alerts_sent, result.digests_failed) == (3, 3, 0)
    assert sorted(smtp_server.recipients) == sorted(
        [people["owner"].email, people["supervisor"].email, people["team_lead"].email]
    )
    message = smtp_server.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    link = "https://backoffice.example.com" + overdue_clock.case_url
    assert link in text and f'href="{link}"' in html
    assert "Ivan Ivanov" in text
    assert "23.11.2026 10:00" in text, "the due moment in the branch's time zone"
    sent = Alert.objects.filter(sent_at__isnull=False)
    assert sent.count() == 3
    assert set(sent.values_list("message_id", flat=True)) == {m["Message-ID"] for m in smtp_server.messages}


def test_the_digest_is_in_the_recipients_language(overdue_clock, people, smtp_server):
    people["supervisor"].language = "ru"
    people["supervisor"].save()
    send_alerts(now=NOW)
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    russian = by_recipient[people["supervisor"].email].get_payload()[0].get_payload(decode=True).decode()
    english = by_recipient[people["owner"].email].get_payload()[0].get_payload(decode=True).decode()
    assert "These promises to customers need your attention" in english
    assert "These promises to customers need your attention" not in russian


def test_several_alerts_of_one_recipient_make_one_digest(overdue_clock, people, smtp_server, msk):
    services.open_clock(
        case=CustomerFactory(branch=msk),
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 23, 10, 0),
        opened_at=at(2026, 11, 23, 9, 0),
        owner=people["owner"],
    )
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    send_alerts(now=NOW)
    assert smtp_server.recipients.count(people["owner"].email) == 1
    assert Alert.objects.filter(recipient=people["owner"], sent_at__isnull=False).count() == 2


def test_smtp_down_loses_nothing_and_sends_nothing_twice(overdue_clock, smtp_server):
    smtp_server.stop()
    result = send_alerts(now=NOW)
    assert result.digests_failed == 3 and result.digests_sent == 0
    waiting = Alert.objects.all()
    assert not waiting.filter(sent_at__isnull=False).exists()
    assert all("ConnectionRefusedError" in alert.last_error for alert in waiting)
    assert {alert.next_attempt_at for alert in waiting} == {NOW + retry_delay(1)}

    # Still down an hour later, several attempts on: still nothing sent, nothing given up.
    moment = NOW
    for _ in range(5):
        moment += timedelta(minutes=16)
        send_alerts(now=moment)
    assert not Alert.objects.filter(sent_at__isnull=False).exists()
    assert not Alert.objects.filter(failed_at__isnull=False).exists()

    # Before the next attempt is due nothing is tried; once it is, everything goes, exactly once.
    smtp_server.start()
    latest_retry = max(Alert.objects.values_list("next_attempt_at", flat=True))
    send_alerts(now=latest_retry - timedelta(seconds=1))
    send_alerts(now=latest_retry)
    send_alerts(now=latest_retry + timedelta(hours=1))
    assert Alert.objects.filter(sent_at__isnull=False).count() == 3
    assert len(smtp_server.messages) == 3


def test_after_the_last_attempt_an_alert_is_failed_and_shown(overdue_clock, people, smtp_server, settings, client):
    settings.ALERT_MAX_ATTEMPTS = 2
    smtp_server.stop()
    send_alerts(now=NOW)
    send_alerts(now=NOW + timedelta(hours=1))
    assert Alert.objects.failed().count() == 3
    assert send_alerts(now=NOW + timedelta(days=1)).digests_failed == 0, "failed alerts are not retried on their own"

    people["supervisor"].language = "en"  # the pages speak the profile's language
    people["supervisor"].save()
    client.force_login(people["supervisor"])
    page = client.get("/attention/").content.decode()
    assert "Alerts that could not be delivered" in page and "the mail server did not accept it yet" in page
    assert "ConnectionRefusedError" not in page, "the server's own words are for administrators only"


def test_a_recipient_held_by_another_sender_is_left_alone(overdue_clock, people, smtp_server):
    Alert.objects.filter(recipient=people["owner"]).update(claim="other", claimed_until=NOW + timedelta(minutes=5))
    assert send_digest(recipient_id=people["owner"].pk, now=NOW) is None
    assert people["owner"].email not in smtp_server.recipients
    # The other sender died: once its claim expires, the alerts are taken over.
    assert send_digest(recipient_id=people["owner"].pk, now=NOW + timedelta(minutes=6)) == 1


def test_a_recipient_without_email_is_failed_with_a_reason(overdue_clock, people, smtp_server):
    people["owner"].email = ""
    people["owner"].save()
    send_alerts(now=NOW)
    alert = Alert.objects.get(recipient=people["owner"])
    assert alert.failed_at and "no e-mail" in alert.last_error
    assert len(smtp_server.messages) == 2


def test_retry_delay_grows_and_is_capped(settings):
    settings.ALERT_RETRY_MAX_MINUTES = 30
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_an_administrator_retries_failed_alerts_with_an_audit_entry(overdue_clock, people, smtp_server, settings):
    settings.ALERT_MAX_ATTEMPTS = 1
    smtp_server.stop()
    send_alerts(now=NOW)
    assert Alert.objects.failed().count() == 3
    smtp_server.start()
    assert outbox_retry(rows=Alert.objects.all(), by=people["manager"]) == 3
    assert AuditEntry.objects.filter(action="alert.retried", actor=people["manager"]).count() == 3
    assert send_alerts().alerts_sent == 3
