"""Webhooks (issue 18, "Events out"): each event written in the transaction of its change, one delivery per
subscription whose client may act for the case's branch, POSTed signed to a real HTTP receiver on 127.0.0.1,
delivered only on a 2xx, retried with back-off (frozen time), failed after the last attempt and retryable in
the admin; never lost while the receiver is down, never delivered twice by two senders racing."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from api.models import WebhookDelivery, WebhookEvent
from api.services import api_client_revoke
from api.webhooks.delivery import deliver_webhook, send_webhooks
from api.webhooks.events import Audience
from api.webhooks.subscriptions import subscription_create, subscription_delete
from callbacks.models import Callback
from callbacks.services import callback_cancel, callback_register
from complaints.models import Complaint
from complaints.services.forwarding import complaint_forward
from contactcenter import case_events, celery_app
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from tests.concurrency import at_once
from tests.factories import BranchFactory, CallbackReasonFactory
from tests.moments import moscow

pytestmark = pytest.mark.django_db

CALLBACKS = "/api/v1/callbacks/"
EVERY_EVENT = ["case.created", "clock.due_soon", "clock.overdue", "case.closed", "complaint.forwarded"]


def callback_body(**overrides):
    return {
        "branch": "MSK",
        "customer_phone": "+7 916 123-45-67",
        "customer_name": "Ivan Ivanov",
        "reason": "asked_callback",
        "customer_said": "Card blocked after a trip abroad.",
        "channel": "ivr",
        **overrides,
    }


@pytest.fixture
def subscribed(ivr, receiver):
    """The IVR's subscription to every event, at the receiver, which knows its secret."""
    subscription = subscription_create(client=ivr[0], target_url=receiver.url, events=EVERY_EVENT, by=None)
    receiver.state.secret = subscription.secret
    return subscription


def register_callback(api, **overrides) -> str:
    response = api.post(CALLBACKS, callback_body(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()["number"]


def delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.select_related("event").get()


class TestEvents:
    def test_a_case_created_through_the_api_is_posted_signed_with_its_event_id(
        self, api, subscribed, receiver, monday_morning
    ):
        number = register_callback(api)
        waiting = delivery()
        assert waiting.status == "pending" and waiting.event.type == "case.created"

        assert send_webhooks().delivered == 1
        [request] = receiver.requests
        assert request.signature_valid, "the receiver verified the signature with the subscription's secret"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["X-Webhook-Id"] == str(waiting.event.event_id)
        assert request.headers["X-Webhook-Event"] == "case.created"
        payload = request.payload
        assert payload["id"] == str(waiting.event.event_id)
        assert payload["type"] == "case.created"
        assert datetime.fromisoformat(payload["occurred_at"]) == moscow(2026, 11, 23, 10, 0)
        assert payload["occurred_at"].endswith("+00:00")
        due = Deadline.objects.get().due_at
        assert payload["case"] == {
            "type": "callback",
            "number": number,
            "branch": "MSK",
            "status": "open",
            "due_at": due.astimezone(UTC).isoformat(),
        }
        assert b"916" not in request.body and b"Ivan" not in request.body and b"Card" not in request.body
        done = delivery()
        assert done.status == "delivered" and done.sent_at == timezone.now() and done.last_status == 204
        assert done.attempts == 1 and done.last_error == ""
        assert send_webhooks().delivered == 0, "delivered once"

    def test_the_signature_changes_with_the_secret_and_the_body(self, api, subscribed, receiver, monday_morning):
        receiver.state.secret = "whsec_someone-else"
        register_callback(api)
        assert send_webhooks().failed == 1, "the receiver refused a signature it could not verify (400)"
        assert not receiver.requests[0].signature_valid
        assert delivery().last_status == 400

    def test_only_subscriptions_whose_client_may_act_for_the_branch_hear_of_it(
        self, api, subscribed, make_client, receiver, monday_morning
    ):
        budapest = BranchFactory(code="BUD", name="Budapest", time_zone="Europe/Budapest", country="HU")
        other, _token = make_client("CRM", branches=[budapest])
        subscription_create(client=other, target_url=receiver.url + "/bud", events=EVERY_EVENT, by=None)
        closed_only, _token = make_client("Website")
        subscription_create(client=closed_only, target_url=receiver.url + "/web", events=["case.closed"], by=None)
        register_callback(api)
        assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [subscribed.pk]

    def test_nothing_is_written_when_nobody_subscribed(self, api, ivr, monday_morning):
        register_callback(api)
        assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()

    def test_an_event_exists_only_with_its_change(self, api, subscribed, monday_morning):
        """Written in the transaction of the change: a change rolled back leaves no event behind."""

        def refuse(case):
            raise RuntimeError("a later receiver fails")

        with case_events.case_opened.connected(refuse, order=99), pytest.raises(RuntimeError):
            register_callback(api)
        assert not Callback.objects.exists()
        assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()

    def test_clock_due_soon_then_overdue_from_the_scan_and_closed(self, api, subscribed, receiver, monday_morning):
        register_callback(api)
        clock = Deadline.objects.get()
        for moment in (clock.warn_at, clock.due_at, clock.due_at + timedelta(hours=5)):
            monday_morning.move_to(moment)
            scan_deadlines()  # the last one: reminders and "overdue for long", which are no events
        callback_cancel(callback=Callback.objects.get(), by=None, reason="The customer called in.")
        types = list(WebhookEvent.objects.order_by("pk").values_list("type", flat=True))
        assert types == ["case.created", "clock.due_soon", "clock.overdue", "case.closed"]
        overdue = WebhookEvent.objects.get(type="clock.overdue").payload
        assert overdue["clock"] == {
            "kind": clock.kind,
            "level": "overdue",
            "due_at": clock.due_at.astimezone(UTC).isoformat(),
        }
        assert overdue["occurred_at"] == clock.due_at.astimezone(UTC).isoformat()
        closed = WebhookEvent.objects.get(type="case.closed").payload
        assert closed["case"]["status"] == "cancelled" and closed["case"]["due_at"] is None
        assert send_webhooks().delivered == 4
        assert [r.headers["X-Webhook-Event"] for r in receiver.requests] == types
        assert all(r.signature_valid for r in receiver.requests)

    def test_a_scan_with_many_events_asks_a_worker_once(
        self, api, subscribed, monday_morning, django_capture_on_commit_callbacks
    ):
        for number in range(3):
            register_callback(api, customer_phone=f"+7 916 000-00-0{number}")
        monday_morning.move_to(Deadline.objects.order_by("due_at").last().due_at)
        with mock.patch("celery.current_app.signature") as signature, django_capture_on_commit_callbacks(execute=True):
            scan_deadlines()
        assert WebhookEvent.objects.filter(type="clock.overdue").count() == 3
        signature.assert_called_once_with("api.send_webhooks")

    def test_a_complaint_forwarded_once_the_mail_server_accepted_it(
        self, api, subscribed, people, smtp_server, monday_morning
    ):
        response = api.post(
            "/api/v1/complaints/",
            {
                "branch": "MSK",
                "customer_phone": "+7 916 123-45-67",
                "customer_name": "Ivan Ivanov",
                "channel": "website",
                "category": "service",
                "received_at": "2026-11-23T09:30:00+03:00",
                "summary": "Nobody answered my letter.",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        complaint = Complaint.objects.get()
        complaint_forward(complaint=complaint, by=people["manager"])
        assert not WebhookEvent.objects.filter(type="complaint.forwarded").exists(), "not before it went"
        assert send_outbound_emails().sent == 1
        forwarded = WebhookEvent.objects.get(type="complaint.forwarded")
        assert forwarded.payload["case"]["number"] == complaint.register_number
        assert forwarded.payload["case"]["status"] == "forwarded"

    def test_a_deleted_subscription_gets_nothing_more(self, api, subscribed, receiver, monday_morning):
        register_callback(api)
        subscription_delete(subscription=subscribed, by=None)
        assert delivery().status == "failed" and "deleted" in delivery().last_error
        register_callback(api, customer_phone="+7 916 000-00-01")
        assert WebhookDelivery.objects.count() == 1
        assert send_webhooks().delivered == 0 and receiver.requests == []

    def test_a_revoked_client_gets_nothing_more(self, api, ivr, subscribed, monday_morning):
        register_callback(api)
        api_client_revoke(client=ivr[0], by=None)
        callback_register(
            branch=ivr[0].branches.get(),
            reason=CallbackReasonFactory(code="asked_callback"),
            customer_said="By phone, after the revocation.",
            created_by=None,
            customer_phone="+7 916 000-00-02",
            customer_name="Olga Orlova",
        )
        assert WebhookDelivery.objects.count() == 1

    def test_a_client_whose_token_expired_gets_nothing_more_though_nothing_changed(self, ivr, subscribed):
        client = ivr[0]
        client.expires_at = timezone.now() + timedelta(hours=1)
        client.save(update_fields=["expires_at"])
        branch = client.branches.get()
        assert Audience(["case.created"]).subscriptions("case.created", branch.pk) == [subscribed.pk]
        later = timezone.now() + timedelta(hours=2)
        assert Audience(["case.created"], later).subscriptions("case.created", branch.pk) == []


class TestDelivery:
    def test_events_made_while_the_receiver_is_down_go_once_it_is_back(self, api, subscribed, receiver, monday_morning):
        receiver.stop()
        register_callback(api)
        register_callback(api, customer_phone="+7 916 000-00-01")
        assert send_webhooks().failed == 2
        for waiting in WebhookDelivery.objects.all():
            assert waiting.status == "pending" and waiting.attempts == 1
            assert "Connection refused" in waiting.last_error or "ConnectionRefused" in waiting.last_error
            assert waiting.next_attempt_at == timezone.now() + timedelta(minutes=1)

        receiver.start()
        assert send_webhooks().delivered == 0, "each waits for its next attempt"
        monday_morning.shift(timedelta(minutes=1))
        assert send_webhooks().delivered == 2
        assert len(receiver.accepted) == 2 == len(receiver.requests)
        assert set(receiver.accepted) == {str(e) for e in WebhookEvent.objects.values_list("event_id", flat=True)}
        assert set(WebhookDelivery.objects.values_list("last_error", flat=True)) == {""}

    def test_a_non_2xx_is_retried_with_back_off_then_failed_and_retried_by_an_administrator(
        self, api, subscribed, receiver, monday_morning, settings, admin_client, root
    ):
        settings.ALERT_MAX_ATTEMPTS = 5
        receiver.answer(503)
        register_callback(api)
        waits = []
        for _attempt in range(5):
            before = timezone.now()
            assert send_webhooks().failed == 1
            row = delivery()
            assert row.last_status == 503 and "503" in row.last_error
            waits.append(row.next_attempt_at - before)
            monday_morning.move_to(row.next_attempt_at)
        assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)], "1, 2, 4, 8 minutes"
        failed = delivery()
        assert failed.status == "failed" and failed.attempts == 5
        assert send_webhooks().failed == 0, "given up: no more attempts by itself"
        assert len(receiver.requests) == 5

        receiver.answer(200)
        response = admin_client.post(
            "/admin/api/webhookdelivery/", {"action": "retry_now", "_selected_action": [failed.pk]}, follow=True
        )
        assert "1 webhook will be delivered again." in response.content.decode()
        entry = AuditEntry.objects.get(action="webhook_delivery.retried")
        assert entry.actor == root and entry.object_id == failed.pk
        assert delivery().status == "pending" and delivery().attempts == 0
        assert send_webhooks().delivered == 1
        assert len(receiver.accepted) == 1

    def test_a_receiver_too_slow_to_answer_is_tried_again_and_drops_the_copy_by_event_id(
        self, api, subscribed, receiver, monday_morning, settings
    ):
        settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
        receiver.slow(1.0)
        register_callback(api)
        assert send_webhooks().failed == 1
        row = delivery()
        assert "timed out" in row.last_error and row.status == "pending"
        assert row.next_attempt_at == timezone.now() + timedelta(minutes=1)
        receiver.slow(0)
        monday_morning.shift(timedelta(minutes=1))
        assert send_webhooks().delivered == 1
        # The slow answer did reach the receiver: two requests of one event, kept once.
        ids = [request.headers["X-Webhook-Id"] for request in receiver.requests]
        assert len(ids) == 2 and len(set(ids)) == 1
        assert list(receiver.accepted) == ids[:1]

    def test_a_redirect_is_not_followed_and_counts_as_a_failure(self, api, subscribed, receiver, monday_morning):
        receiver.answer(302)
        register_callback(api)
        assert send_webhooks().failed == 1
        assert delivery().last_status == 302 and len(receiver.requests) == 1

    def test_a_sender_whose_claim_was_taken_over_sends_nothing(self, api, subscribed, receiver, monday_morning):
        register_callback(api)
        row = delivery()
        claim = WebhookDelivery.objects.filter(pk=row.pk).claim(timezone.now())
        assert claim is not None
        assert deliver_webhook(delivery_id=row.pk) is None, "held by another sender"
        assert receiver.requests == []

    def test_beat_sends_them_every_minute_on_the_outbox_senders_queue(self, db):
        task = PeriodicTask.objects.get(task="api.send_webhooks")
        assert task.enabled and task.interval.every == 1 and task.interval.period == "minutes"
        assert task.expire_seconds == 50
        route = celery_app.amqp.router.route

        def queue(name):
            return route({}, name)["queue"].name

        assert queue("api.send_webhooks") == queue("contactcenter.alerts.send_alerts")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_on_postgresql_deliver_each_event_once(ivr, receiver):
    subscription = subscription_create(client=ivr[0], target_url=receiver.url, events=EVERY_EVENT, by=None)
    receiver.state.secret = subscription.secret
    reason = CallbackReasonFactory()
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=True):
        for number in range(12):
            with transaction.atomic():
                callback_register(
                    branch=ivr[0].branches.get(),
                    reason=reason,
                    customer_said="Call me.",
                    created_by=ivr[0].account,
                    customer_phone=f"+7 916 000-00-{number:02d}",
                    customer_name="Ivan Ivanov",
                )
        receiver.slow(0.05)  # each POST takes a while, so that the two senders overlap
        results, errors = at_once(send_webhooks, send_webhooks)
    assert errors == []
    assert sum(result.delivered for result in results) == 12
    assert all(result.delivered for result in results), "both senders took part"
    ids = [request.headers["X-Webhook-Id"] for request in receiver.requests]
    assert len(ids) == 12 == len(set(ids)), "no event was posted twice"
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
    assert WebhookDelivery.objects.filter(sent_at__isnull=False).count() == 12
