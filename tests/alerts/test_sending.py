"""Sending runs under faults, against a real SMTP server (aiosmtpd) made slow, stopped and started again:
claims that cannot lapse mid-send, one Message-ID per message across a crash, one connection per run, an
outage recorded at once and everything waiting sent at the first run after it."""

import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connections
from django.utils import timezone

from contactcenter.alerts.models import Alert, MailServerStatus, OutboundEmail
from contactcenter.alerts.outbound import queue_email, send_outbound_email, send_outbound_emails
from contactcenter.alerts.outbox import Claim
from contactcenter.alerts.services import send_alerts
from contactcenter.deadlines import services
from contactcenter.deadlines.scan import scan_deadlines
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 2)


def clock_of(owner, branch, *, due, title="Case"):
    return services.open_clock(
        case=CustomerFactory(branch=branch, full_name=title),
        kind="test_clock",
        branch=branch,
        due_at=due,
        opened_at=at(2026, 11, 23, 9, 0),
        owner=owner,
    )


def two_senders_one_after_the_other(send) -> list:
    """``send()`` in two threads, the second 1.5 s after the first (the next minute's task while a slow run goes
    on); their results, after both ended (within a minute) without an error."""
    results, errors = [], []

    def sender():
        try:
            results.append(send())
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    threads[0].start()
    time.sleep(1.5)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    return results


@pytest.mark.postgres  # SQLite's shared in-memory test database locks whole tables between threads
@pytest.mark.django_db(transaction=True)
def test_two_senders_and_a_slow_server_send_every_digest_once(msk, policy, smtp_server, settings):
    """Each message takes 0.4 s and a claim lives 1 s, so a run lasts longer than a claim's life; the second
    sender (the next minute's task) starts 1.5 s after the first. A claim counted from the run's start (the
    old rule) was already expired when taken, and the second sender took it and sent the digest again."""
    owners = [UserFactory(username=f"owner{n}", role="Operator", branches=[msk]) for n in range(8)]
    for owner in owners:
        clock_of(owner, msk, due=at(2026, 11, 23, 10, 0))
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    Alert.objects.exclude(recipient__in=owners).delete()  # only the owners' alerts: eight digests
    settings.ALERT_CLAIM_SECONDS = 1
    smtp_server.delay = 0.4
    results = two_senders_one_after_the_other(send_alerts)
    received = Counter(smtp_server.recipients)
    assert received == {owner.email: 1 for owner in owners}, "every digest once, none twice"
    assert sum(result.digests_sent for result in results) == 8
    assert Alert.objects.filter(sent_at__isnull=False).count() == 8
    assert min(result.digests_sent for result in results) > 0, "both senders worked"


@pytest.mark.postgres  # as above
@pytest.mark.django_db(transaction=True)
def test_two_senders_and_a_slow_server_send_every_email_once(smtp_server, settings):
    """The same for the outbound e-mails (a complaint's forwarding, a customer told): eight messages of 0.4 s
    each under claims of 1 s, a second sender 1.5 s after the first; each e-mail reaches its recipient once."""
    addresses = [f"boss{n}@example.com" for n in range(8)]
    for address in addresses:
        queue_email(purpose="test.mail", to=[address], subject="Hello", text="Body")
    settings.ALERT_CLAIM_SECONDS = 1
    smtp_server.delay = 0.4
    results = two_senders_one_after_the_other(send_outbound_emails)
    assert Counter(smtp_server.recipients) == dict.fromkeys(addresses, 1), "every e-mail once, none twice"
    assert sum(result.sent for result in results) == 8
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 8
    assert min(result.sent for result in results) > 0, "both senders worked"


def test_a_sender_sends_only_while_its_claim_is_its_own(overdue_clock, people, smtp_server):
    """A claim taken over by another sender before the message went is not sent, and not marked."""
    claim = Alert.objects.filter(recipient=people["owner"]).claim_message(NOW)
    Alert.objects.filter(claim=claim.token).update(claim="other", claimed_until=NOW + timedelta(minutes=5))
    assert not claim.renew(NOW)
    assert claim.mark_sent(NOW) == 0
    assert not Alert.objects.filter(sent_at__isnull=False).exists()


def test_a_digest_sent_again_after_a_crash_keeps_its_message_id(overdue_clock, people, smtp_server):
    """The server accepted the digest, then the sender died before its commit: the next sender sends the same
    digest under the same Message-ID, so the recipient's side can drop the copy."""
    with mock.patch.object(Claim, "mark_sent", side_effect=SystemExit("worker killed")), pytest.raises(SystemExit):
        send_alerts(now=NOW)
    [first] = smtp_server.messages
    assert not Alert.objects.filter(sent_at__isnull=False).exists()

    send_alerts(now=NOW + timedelta(minutes=1))
    assert [m["To"] for m in smtp_server.messages].count(first["To"]) == 1, "the dead sender's claim still holds"
    send_alerts(now=NOW + timedelta(minutes=6))
    again = [m for m in smtp_server.messages[1:] if m["To"] == first["To"]]
    assert len(again) == 1 and again[0]["Message-ID"] == first["Message-ID"]
    assert Alert.objects.get(recipient__email=first["To"]).message_id == first["Message-ID"]
    others = {m["Message-ID"] for m in smtp_server.messages if m["To"] != first["To"]}
    assert len(others) == 2 and first["Message-ID"] not in others


def test_an_email_sent_again_after_a_crash_keeps_its_message_id(db, smtp_server):
    email = queue_email(purpose="test.mail", to=["boss@example.com"], subject="Hello", text="Body")
    with mock.patch.object(Claim, "mark_sent", side_effect=SystemExit("worker killed")), pytest.raises(SystemExit):
        send_outbound_email(email_id=email.pk)
    assert send_outbound_email(email_id=email.pk) is None, "the dead sender's claim still holds"
    assert send_outbound_email(email_id=email.pk, now=timezone.now() + timedelta(minutes=6)) is True
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == OutboundEmail.objects.get().message_id


def test_a_refused_attempt_gets_a_new_message_id(overdue_clock, people, smtp_server):
    """A digest the server never accepted is not in doubt: its next attempt is a message of its own."""
    smtp_server.stop()
    send_alerts(now=NOW)
    assert set(Alert.objects.values_list("message_id", flat=True)) == {""}
    smtp_server.start()
    send_alerts(now=NOW + timedelta(minutes=1))
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 3


def test_one_connection_serves_the_whole_run(overdue_clock, smtp_server):
    assert send_alerts(now=NOW).digests_sent == 3
    assert len(smtp_server.messages) == 3 and smtp_server.connections == 1


def test_a_run_stops_at_its_limits_and_the_next_goes_on(overdue_clock, smtp_server, settings):
    settings.ALERT_RUN_MAX_MESSAGES = 2
    assert send_alerts(now=NOW).digests_sent == 2
    assert send_alerts(now=NOW).digests_sent == 1
    settings.ALERT_RUN_MAX_MESSAGES = 1000
    settings.ALERT_RUN_SECONDS = 0
    queue_email(purpose="test.mail", to=["boss@example.com"], subject="Hello", text="Body")
    assert send_outbound_emails().sent == 0, "out of time before the first message"


def test_an_outage_is_recorded_at_once_and_ends_with_the_first_answer(overdue_clock, smtp_server):
    assert MailServerStatus.outage() is None
    smtp_server.stop()
    send_alerts(now=NOW)
    outage = MailServerStatus.outage()
    assert NOW <= outage.down_since < NOW + timedelta(seconds=5) and "ConnectionRefusedError" in outage.last_error
    send_alerts(now=NOW + timedelta(minutes=5))
    assert MailServerStatus.outage().down_since == outage.down_since, "since the first failure"
    smtp_server.start()
    send_alerts(now=NOW + timedelta(minutes=6))
    assert MailServerStatus.outage() is None


def test_after_an_outage_everything_waiting_goes_at_the_next_run_as_one_digest_of_the_current_state(
    overdue_clock, msk, people, smtp_server
):
    """Alerts made at different moments of an outage, each with its own back-off, go together as soon as the
    server answers; a clock that was due soon and then overdue is one line, overdue; the subject counts clocks."""
    smtp_server.stop()
    send_alerts(now=NOW)  # clock A's overdue alerts: the first failure
    clock_b = clock_of(people["owner"], msk, due=at(2026, 11, 23, 10, 40), title="Second case")
    for moment in (at(2026, 11, 23, 10, 20), at(2026, 11, 23, 10, 41)):  # B due soon, then overdue
        scan_deadlines(now=moment)
        send_alerts(now=moment)
    owner_alerts = Alert.objects.filter(recipient=people["owner"])
    assert owner_alerts.count() == 3 and not owner_alerts.filter(last_error="").exists()
    recovery = at(2026, 11, 23, 10, 42)
    assert owner_alerts.filter(next_attempt_at__gt=recovery).exists(), "some wait for their own back-off"

    smtp_server.start()
    result = send_alerts(now=recovery)
    assert result.digests_sent == 3 and result.alerts_sent == 7
    mine = [m for m in smtp_server.messages if m["To"] == people["owner"].email]
    assert len(mine) == 1, "one digest per recipient"
    assert mine[0]["Subject"] == "2 clocks need attention (2 overdue)"
    text = mine[0].get_payload()[0].get_payload(decode=True).decode()
    assert text.count("[overdue]") == 2 and "due soon" not in text
    assert clock_b.title in text
    sent = Alert.objects.filter(sent_at__isnull=False)
    assert sent.count() == 7 and set(sent.values_list("last_error", flat=True)) == {""}, "no stale error"


def test_a_sent_email_keeps_no_error_of_an_earlier_attempt(db, smtp_server):
    smtp_server.stop()
    queue_email(purpose="test.mail", to=["boss@example.com"], subject="Hello", text="Body")
    send_outbound_emails()
    assert "ConnectionRefusedError" in OutboundEmail.objects.get().last_error
    smtp_server.start()
    assert send_outbound_emails(now=timezone.now() + timedelta(seconds=10)).sent == 1, (
        "at the next run, not after a minute"
    )
    assert OutboundEmail.objects.get().last_error == ""


def test_a_slow_server_that_stops_answering_is_an_outage_and_the_message_in_doubt(overdue_clock, smtp_server, settings):
    settings.EMAIL_TIMEOUT = 1
    smtp_server.delay = 3
    send_alerts(now=NOW)
    assert MailServerStatus.outage() is not None
    [(in_doubt, message_id)] = Alert.objects.exclude(message_id="").values_list("pk", "message_id")
    assert Alert.objects.filter(message_id="").count() == 2, "the others never went"
    smtp_server.delay = 0
    send_alerts(now=NOW + timedelta(minutes=1))
    assert Alert.objects.filter(sent_at__isnull=False).count() == 3
    assert Alert.objects.get(pk=in_doubt).message_id == message_id, "the message cut short keeps its Message-ID"
    assert message_id in {m["Message-ID"] for m in smtp_server.messages}
