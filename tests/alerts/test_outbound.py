"""The outbound e-mails of ``contactcenter/alerts/outbound.py`` (the complaint register is their first user).

They belong with the alerts tests; they live here while the complaint register is the only user of the outbox.
"""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from contactcenter import celery_app
from contactcenter.alerts import outbound
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import Attachment, queue_email, send_outbound_email, send_outbound_emails
from contactcenter.alerts.outbox import outbox_retry
from contactcenter.audit.models import AuditEntry
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def now():
    """Messages are queued at NOW; each test says when a sender runs."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def heard():
    """A handler that notes every accepted e-mail, registered like a case app registers its own."""
    calls = []

    def handler(email):
        calls.append((email.pk, email.sent_at, email.message_id))

    with outbound.email_sent.connected(handler, order=1000):
        yield calls


def queued(**overrides):
    values = {"purpose": "test.mail", "to": ["boss@example.com"], "subject": "Hello", "text": "Body"}
    values.update(overrides)
    return queue_email(**values)


def test_an_email_needs_a_recipient_and_copies_are_not_doubled(db):
    with pytest.raises(Exception, match="at least one recipient"):
        queued(to=["", ""])
    email = queued(cc=["boss@example.com", "deputy@example.com", ""])
    assert email.cc == ["deputy@example.com"]


def test_an_accepted_email_is_marked_sent_and_its_app_hears_of_it(db, smtp_server, heard, media):
    default_storage.save("files/page.jpg", ContentFile(b"\xff\xd8\xffphoto"))
    email = queued(html="<p>Body</p>", attachments=[Attachment("files/page.jpg", "page-1.jpg", "image/jpeg")])
    assert send_outbound_email(email_id=email.pk, now=NOW) is True
    email.refresh_from_db()
    [message] = smtp_server.messages
    assert email.status == "sent" and email.message_id == message["Message-ID"]
    assert heard == [(email.pk, email.sent_at, email.message_id)]
    [attachment] = [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    assert attachment.get_filename() == "page-1.jpg" and attachment.get_payload(decode=True) == b"\xff\xd8\xffphoto"
    assert send_outbound_email(email_id=email.pk, now=NOW + timedelta(hours=1)) is None, "never twice"
    assert len(smtp_server.messages) == 1


def test_a_message_held_by_another_sender_is_left_alone_until_its_claim_expires(db, smtp_server):
    email = queued()
    OutboundEmail.objects.filter(pk=email.pk).update(claim="other", claimed_until=NOW + timedelta(minutes=5))
    assert send_outbound_email(email_id=email.pk, now=NOW) is None
    assert send_outbound_email(email_id=email.pk, now=NOW + timedelta(minutes=6)) is True


def test_a_failure_backs_off_then_gives_up(db, smtp_server, heard, settings):
    settings.ALERT_MAX_ATTEMPTS = 3
    smtp_server.stop()
    email = queued()
    assert send_outbound_emails(now=NOW).failed == 1
    email.refresh_from_db()
    assert email.next_attempt_at == NOW + timedelta(minutes=1) and email.attempts == 1 and not email.failed_at
    assert send_outbound_emails(now=NOW + timedelta(seconds=30)).failed == 0, "not before its time"
    send_outbound_emails(now=NOW + timedelta(minutes=1))
    email.refresh_from_db()
    assert email.next_attempt_at == NOW + timedelta(minutes=3)
    send_outbound_emails(now=NOW + timedelta(minutes=3))
    email.refresh_from_db()
    assert email.status == "failed" and "ConnectionRefusedError" in email.last_error
    assert heard == []


def test_a_missing_attachment_is_an_error_to_retry_not_a_crash(db, smtp_server, media):
    email = queued(attachments=[Attachment("files/gone.jpg", "gone.jpg", "image/jpeg")])
    assert send_outbound_email(email_id=email.pk, now=NOW) is False
    email.refresh_from_db()
    assert "gone.jpg" in email.last_error and email.status == "pending"
    assert smtp_server.messages == []


def test_a_handler_that_fails_does_not_send_the_message_again(db, smtp_server):
    def broken(email):
        raise RuntimeError("the case is gone")

    with outbound.email_sent.connected(broken, order=1000):
        email = queued()
        assert send_outbound_email(email_id=email.pk, now=NOW) is True
    email.refresh_from_db()
    assert email.status == "sent" and email.message_id and "the case is gone" in email.last_error
    assert send_outbound_emails(now=NOW + timedelta(hours=1)).sent == 0
    assert len(smtp_server.messages) == 1


def test_a_worker_is_asked_to_send_once_the_change_is_committed(db, django_capture_on_commit_callbacks):
    with (
        mock.patch("celery.current_app.signature") as signature,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        queued()
        signature.assert_not_called()
    signature.assert_called_once_with(outbound.TASK_NAME)
    signature.return_value.apply_async.assert_called_once_with(
        retry=False, ignore_result=True, expires=outbound.SEND_NOW_EXPIRES
    )


def test_a_broker_that_is_down_only_delays_the_message(db, django_capture_on_commit_callbacks):
    with (
        mock.patch("celery.current_app.signature", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = queued()
    assert OutboundEmail.objects.get(pk=email.pk).status == "pending"


def test_the_every_minute_task_and_the_command_send_the_emails_too(db, smtp_server, capsys):
    celery_app.loader.import_default_modules()
    celery_app.conf.task_always_eager = True
    try:
        queued()
        result = celery_app.tasks["contactcenter.alerts.send_alerts"].delay().get()
        assert result["emails_sent"] == 1
        queued(subject="Second")
        assert celery_app.tasks[outbound.TASK_NAME].delay().get() == {"emails_sent": 1, "emails_failed": 0}
    finally:
        celery_app.conf.task_always_eager = False
    queued(subject="Third")
    call_command("send_alerts")
    assert "e-mails sent: 1, e-mails failed: 0" in capsys.readouterr().out
    assert len(smtp_server.messages) == 3


def test_an_administrator_retries_failed_emails_with_an_audit_entry(db, smtp_server, settings, people):
    settings.ALERT_MAX_ATTEMPTS = 1
    smtp_server.stop()
    email = queued()
    send_outbound_emails(now=NOW)
    assert OutboundEmail.objects.get().status == "failed"
    smtp_server.start()
    assert outbox_retry(rows=OutboundEmail.objects.all(), by=people["manager"]) == 1
    assert AuditEntry.objects.filter(
        action="outbound_email.retried", actor=people["manager"], object_id=email.pk
    ).exists()
    assert send_outbound_emails().sent == 1


@pytest.mark.redis
def test_the_first_send_now_after_the_broker_came_back_is_queued(private_broker, monkeypatch):
    """A pooled connection to a broker that went away is dead: the first "send now" after the broker is back
    must not be lost on it (it was, and the e-mail waited for the next minute's run)."""
    import time

    import redis

    monkeypatch.delitem(celery_app.tasks, outbound.TASK_NAME, raising=False)  # a web process queues by name
    queue = redis.Redis(host=private_broker.host, port=private_broker.port)

    def queued() -> int:
        return queue.llen("celery")

    outbound._ask_a_worker()
    assert queued() == 1

    private_broker.stop()
    started = time.monotonic()
    outbound._ask_a_worker()  # logged, not raised: the every-minute task sends it
    assert time.monotonic() - started < 3, "a person's request does not wait on a broker that is down"

    private_broker.start()
    queue = redis.Redis(host=private_broker.host, port=private_broker.port)
    outbound._ask_a_worker()
    assert queued() == 1, "the first request after the broker came back is queued"
