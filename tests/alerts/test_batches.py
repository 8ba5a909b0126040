"""Digests sent a batch at a time (issue 12): one conditional UPDATE claims a batch of recipients, racing
senders get disjoint sets, the queries follow the batches and not the digests, a batch cut short frees what it
never tried, and a batch renews its claim before less than half of its life is left."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from contactcenter.alerts.digest import DigestWriter
from contactcenter.alerts.models import Alert
from contactcenter.alerts.outbox import Claim, Held, claim_life
from contactcenter.alerts.sending import SendingRun
from contactcenter.alerts.services import SendResult, send_alerts, send_claimed
from contactcenter.deadlines import services
from contactcenter.deadlines.scan import scan_deadlines
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 2)


def owners_with_alerts(branch, count, *, first=0):
    """``count`` operators, each owning one clock that went overdue at 10:00: one alert (one digest) each."""
    numbers = range(first, first + count)
    owners = [UserFactory(username=f"owner{n}", role="Operator", branches=[branch]) for n in numbers]
    for owner in owners:
        services.open_clock(
            case=CustomerFactory(branch=branch),
            kind="test_clock",
            branch=branch,
            due_at=at(2026, 11, 23, 10, 0),
            opened_at=at(2026, 11, 23, 9, 0),
            owner=owner,
        )
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    Alert.objects.exclude(recipient__username__startswith="owner").delete()
    return owners


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the statistics stay as first read
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(first_claim, second_claim):
    """``first_claim`` runs in a transaction held open until ``second_claim`` (another connection, started
    meanwhile) waits on its row locks; then it commits. Returns both claims."""
    claims, errors = {}, []
    first_done = threading.Event()

    def second():
        try:
            first_done.wait(10)
            claims["second"] = second_claim()
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        claims["first"] = first_claim()
        first_done.set()
        deadline = time.monotonic() + 10
        while lock_waiters() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lock_waiters() == 1, "the second sender waits on the first one's rows"
    thread.join(timeout=30)
    assert not thread.is_alive() and errors == []
    return claims["first"], claims["second"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batch_claims_racing_on_postgresql_get_disjoint_sets(msk, policy):
    """The second sender chose its recipients before the first committed: it gets only those the first did
    not take. (An UPDATE whose conditions sat behind a join, ``id IN (SELECT … JOIN …)``, took them all again.)"""
    owners = owners_with_alerts(msk, 6)
    first, second = race(
        lambda: Alert.objects.claim_digests(NOW, recipients=3),
        lambda: Alert.objects.claim_digests(NOW, recipients=6),
    )
    mine = set(Alert.objects.filter(claim=first.token).values_list("recipient_id", flat=True))
    theirs = set(Alert.objects.filter(claim=second.token).values_list("recipient_id", flat=True))
    assert mine == {owner.pk for owner in owners[:3]}, "the first keeps everything it took"
    assert theirs == {owner.pk for owner in owners[3:]}
    assert set(Alert.objects.values_list("attempts", flat=True)) == {1}, "no row was claimed twice"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_digest_racing_on_postgresql_give_it_to_one_sender(msk, policy):
    [owner] = owners_with_alerts(msk, 1)
    rows = Alert.objects.filter(recipient=owner)
    first, second = race(lambda: rows.claim_message(NOW), lambda: rows.claim_message(NOW))
    assert first is not None and second is None
    assert Alert.objects.get().claim == first.token


def test_queries_follow_the_batches_not_the_digests(msk, policy, smtp_server):
    owners_with_alerts(msk, 12)
    with CaptureQueriesContext(connection) as twelve:
        assert send_alerts(now=NOW).digests_sent == 12
    Alert.objects.all().delete()
    owners_with_alerts(msk, 24, first=12)
    with CaptureQueriesContext(connection) as twenty_four:
        assert send_alerts(now=NOW).digests_sent == 24
    # Batches of 1, 2, 4, 5 digests, then 1, 2, 4, 8, 9: one batch more for twice the digests.
    assert len(twenty_four) - len(twelve) <= 4, [query["sql"] for query in twenty_four]
    assert len(twenty_four) < 24
    assert Alert.objects.filter(sent_at__isnull=False).count() == 24
    received = {m["To"]: m["Message-ID"] for m in smtp_server.messages[12:]}
    stored = dict(Alert.objects.values_list("recipient__email", "message_id"))
    assert received == stored and len(set(stored.values())) == 24, "each digest its own Message-ID, kept"


def test_a_batch_cut_short_frees_what_it_never_tried(msk, policy, smtp_server, settings):
    owners = owners_with_alerts(msk, 3)
    claim = Alert.objects.claim_digests(NOW, recipients=3)
    assert set(Alert.objects.values_list("claim", flat=True)) == {claim.token}
    settings.ALERT_RUN_MAX_MESSAGES = 1  # the run's limit, reached after the batch's first digest
    result = SendResult()
    with SendingRun(now=NOW) as run:
        assert send_claimed(claim, run, DigestWriter(), result, held=Held(claim, NOW)) == 1
    assert (result.digests_sent, result.alerts_sent) == (1, 1)
    assert smtp_server.recipients == [owners[0].email]
    untried = Alert.objects.exclude(recipient=owners[0])
    assert list(untried.values_list("claim", "claimed_until", "attempts", "message_id")) == [("", None, 0, "")] * 2
    settings.ALERT_RUN_MAX_MESSAGES = 1000
    assert send_alerts(now=NOW).digests_sent == 2, "free at once for the next run"


def test_a_batch_renews_its_claim_before_less_than_half_its_life_is_left(msk, policy, smtp_server):
    """Not before every digest: only when less than half a life is left, and then for the whole batch."""
    owners_with_alerts(msk, 4)
    renewals = mock.patch.object(Claim, "renew", autospec=True, side_effect=Claim.renew)
    claim = Alert.objects.claim_digests(NOW, recipients=2)
    with renewals as renew, SendingRun(now=NOW + timedelta(seconds=1)) as run:
        send_claimed(claim, run, DigestWriter(), SendResult(), held=Held(claim, NOW))
    assert renew.call_count == 0, "a fresh claim goes without asking again"

    claim = Alert.objects.claim_digests(NOW, recipients=2)
    with renewals as renew, SendingRun(now=NOW + claim_life() * 0.6) as run:
        send_claimed(claim, run, DigestWriter(), SendResult(), held=Held(claim, NOW))
    assert renew.call_count == 1, "renewed once, for both digests"
    assert len(smtp_server.messages) == 4
    assert Alert.objects.filter(sent_at__isnull=False).count() == 4


def test_a_batch_taken_over_meanwhile_sends_nothing(msk, policy, smtp_server):
    """Its sender was paused for longer than a claim's life, and another sender took the rows meanwhile."""
    owners_with_alerts(msk, 2)
    claim = Alert.objects.claim_digests(NOW, recipients=2)
    writer = DigestWriter()
    write = writer.message

    def taken_over_while_writing(digest):
        Alert.objects.update(claim="other", claimed_until=NOW + claim_life() * 2)
        return write(digest)

    writer.message = taken_over_while_writing
    with SendingRun(now=NOW + claim_life() + timedelta(seconds=1)) as run:
        assert send_claimed(claim, run, writer, SendResult(), held=Held(claim, NOW)) == 0
    assert smtp_server.messages == []
    assert set(Alert.objects.values_list("claim", "attempts")) == {("other", 1)}, "the other sender's, untouched"
    assert not Alert.objects.filter(sent_at__isnull=False).exists()


def test_a_batch_whose_claim_lapsed_before_sending_frees_its_digests_at_once(msk, policy, smtp_server):
    """Nobody took them yet: they were never sent, so they are free again as they were, without the attempt."""
    owners_with_alerts(msk, 2)
    claim = Alert.objects.claim_digests(NOW, recipients=2)
    late = NOW + claim_life() + timedelta(seconds=1)
    with SendingRun(now=late) as run:
        assert send_claimed(claim, run, DigestWriter(), SendResult(), held=Held(claim, NOW)) == 0
    assert smtp_server.messages == []
    freed = Alert.objects.values_list("claim", "claimed_until", "attempts", "message_id")
    assert list(freed) == [("", None, 0, "")] * 2
    assert send_alerts(now=late).digests_sent == 2
