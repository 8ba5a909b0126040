"""Webhooks in the admin: subscriptions made through the audited service (the secret shown once) and deleted by
an action; events read-only; deliveries listed with their status, event and client filters, searched, and
tried again through the outbox's shared retry, with the change permission only, audited."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from api.webhooks.subscriptions import subscription_create
from contactcenter.audit.models import AuditEntry
from tests import admin_pages as pages

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def add_deliveries(ivr, make_client, msk):
    """Each call: an event to two clients' subscriptions, one delivery waiting, one delivered, one failed."""
    counter = iter(range(1000))

    def add():
        n = next(counter)
        crm, _token = make_client(f"CRM {n}")
        mine = subscription_create(
            client=ivr[0], target_url=f"https://ivr.example.com/{n}", events=["case.created"], by=None
        )
        theirs = subscription_create(
            client=crm, target_url=f"https://crm.example.com/{n}", events=["case.created"], by=None
        )
        now = timezone.now()
        for type_, subscription, done in [
            ("case.created", mine, {}),
            ("case.closed", mine, {"sent_at": now, "last_status": 200}),
            ("case.created", theirs, {"failed_at": now, "attempts": 12, "last_error": "HTTP 503: busy"}),
        ]:
            event = WebhookEvent.objects.create(
                type=type_, occurred_at=now, branch=msk, case_number=f"{n}", payload={"id": "x"}
            )
            WebhookDelivery.objects.create(
                event=event, subscription=subscription, created_at=now, next_attempt_at=now, **done
            )

    return add


@pytest.mark.parametrize("model", [WebhookDelivery, WebhookEvent, WebhookSubscription])
def test_every_list_filter_opens_and_matches(admin_client, add_deliveries, model):
    add_deliveries()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [WebhookDelivery, WebhookEvent, WebhookSubscription])
def test_a_list_costs_the_same_for_more_rows(admin_client, add_deliveries, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_deliveries)


def test_deliveries_are_filtered_by_status_event_and_client_and_searched(admin_client, add_deliveries, ivr):
    add_deliveries()
    url = pages.changelist(WebhookDelivery)
    assert [d.status for d in pages.shown(admin_client.get(url, {"status": "failed"}))] == ["failed"]
    assert [d.status for d in pages.shown(admin_client.get(url, {"status": "pending"}))] == ["pending"]
    assert [d.status for d in pages.shown(admin_client.get(url, {"status": "delivered"}))] == ["delivered"]
    closed = pages.shown(admin_client.get(url, {"event__type__exact": "case.closed"}))
    assert [d.event.type for d in closed] == ["case.closed"]
    of_ivr = pages.shown(admin_client.get(url, {"subscription__client__id__exact": ivr[0].pk}))
    assert {d.subscription.client for d in of_ivr} == {ivr[0]} and len(of_ivr) == 2
    assert [d.status for d in pages.shown(admin_client.get(url, {"q": "503"}))] == ["failed"]
    assert len(pages.shown(admin_client.get(url, {"q": "crm.example.com"}))) == 1
    page = admin_client.get(url, {"status": "failed"}).content.decode()
    assert "HTTP 503: busy" in page and ">12<" in page, "the last error and the attempts are shown"


def test_the_deliveries_are_shown_but_not_added_to_or_deleted(admin_client, add_deliveries):
    add_deliveries()
    row = WebhookDelivery.objects.first()
    assert admin_client.get(pages.change_page(row)).status_code == 200
    assert admin_client.get(pages.add_page(WebhookDelivery)).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403


def retry(client, rows):
    return client.post(
        pages.changelist(WebhookDelivery),
        {"action": "retry_now", "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def test_retrying_needs_the_change_permission_and_is_audited(client, add_deliveries):
    add_deliveries()
    failed, delivered = WebhookDelivery.objects.failed().get(), WebhookDelivery.objects.get(sent_at__isnull=False)
    client.force_login(pages.staff_with("api.view_webhookdelivery", username="looker-staff"))
    assert pages.actions_offered(client, WebhookDelivery) == set()
    retry(client, [failed])
    assert WebhookDelivery.objects.failed().get() == failed
    assert not AuditEntry.objects.filter(action="webhook_delivery.retried").exists()

    client.force_login(
        pages.staff_with("api.view_webhookdelivery", "api.change_webhookdelivery", username="admin-staff")
    )
    assert pages.actions_offered(client, WebhookDelivery) == {"retry_now"}
    response = retry(client, [failed, delivered])
    assert messages_of(response) == ["1 webhook will be delivered again."]
    failed.refresh_from_db()
    assert (failed.failed_at, failed.attempts, failed.status) == (None, 0, "pending")
    entry = AuditEntry.objects.get(action="webhook_delivery.retried")
    assert (entry.object_id, entry.actor.username, entry.note) == (failed.pk, "admin-staff", "HTTP 503: busy")
    assert WebhookDelivery.objects.get(pk=delivered.pk).sent_at == delivered.sent_at, "never sent again"


def test_an_administrator_subscribes_a_client_and_sees_the_secret_once(admin_client, ivr, root):
    response = admin_client.post(
        pages.add_page(WebhookSubscription),
        {"client": ivr[0].pk, "target_url": "https://crm.example.com/hooks", "events": ["case.created"]},
        follow=True,
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    (message,) = [text for text in messages_of(response) if "shown only now" in text]
    assert message.endswith(subscription.secret)
    assert (subscription.client, subscription.events) == (ivr[0], ["case.created"])
    entry = AuditEntry.objects.get(action="webhook_subscription.created")
    assert entry.actor == root
    page = admin_client.get(pages.change_page(subscription)).content.decode()
    assert subscription.secret not in page and subscription.secret_hint in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"target_url": "ftp://crm.example.com/hooks", "events": ["case.created"]}, "http"),
        ({"target_url": "https://crm.example.com/hooks", "events": []}, "required"),
    ],
)
def test_a_bad_subscription_is_shown_on_the_form_and_nothing_is_made(admin_client, ivr, fields, error):
    response = admin_client.post(pages.add_page(WebhookSubscription), {"client": ivr[0].pk, **fields})
    assert response.status_code == 200 and error in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_client_without_the_scope_cannot_be_subscribed(admin_client, make_client):
    website, _token = make_client("Website", scopes=["callbacks:write"])
    response = admin_client.post(
        pages.add_page(WebhookSubscription),
        {"client": website.pk, "target_url": "https://crm.example.com/hooks", "events": ["case.created"]},
    )
    assert response.status_code == 200 and "events:subscribe" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_deleting_subscriptions_is_an_audited_action(admin_client, ivr, root):
    subscription = subscription_create(
        client=ivr[0], target_url="https://a.example.com/", events=["case.created"], by=None
    )
    response = admin_client.post(
        pages.changelist(WebhookSubscription),
        {"action": "delete_subscriptions", "_selected_action": [subscription.pk]},
        follow=True,
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.deleted_at is not None
    assert AuditEntry.objects.get(action="webhook_subscription.deleted").actor == root
