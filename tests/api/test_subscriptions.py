"""/api/v1/subscriptions/: a client with ``events:subscribe`` makes, lists, reads and deletes its own webhook
subscriptions; the secret is shown once; bad URLs and unknown events are refused as problem details and change
nothing; another client's subscriptions are never found."""

import pytest
from rest_framework.test import APIClient

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from api.webhooks.subscriptions import subscription_create
from contactcenter.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"


def body(**overrides):
    return {"target_url": "https://crm.example.com/hooks", "events": ["case.created", "case.closed"], **overrides}


def errors_of(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == response.status_code
    return {error["field"]: error["message"] for error in problem["errors"]}


def as_client(token) -> APIClient:
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return http


def test_a_subscription_is_made_with_a_secret_shown_once(api, ivr):
    response = api.post(URL, body(events=["case.closed", "case.created", "case.closed"]), format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    subscription = WebhookSubscription.objects.get()
    assert made == {
        "id": subscription.pk,
        "target_url": "https://crm.example.com/hooks",
        "events": ["case.created", "case.closed"],
        "created_at": subscription.created_at.isoformat(),
        "secret": subscription.secret,
    }
    assert made["secret"].startswith("whsec_") and len(made["secret"]) > 40
    assert subscription.client == ivr[0]
    listed = api.get(URL).json()
    assert listed == [{key: value for key, value in made.items() if key != "secret"}]
    assert "secret" not in api.get(f"{URL}{subscription.pk}/").json()
    entry = AuditEntry.objects.get(action="webhook_subscription.created")
    assert entry.actor == ivr[0].account and entry.object_id == subscription.pk


def test_the_scope_is_needed(make_client):
    _client, token = make_client("Website", scopes=["callbacks:write", "cases:read"])
    http = as_client(token)
    for response in (http.get(URL), http.post(URL, body(), format="json"), http.delete(f"{URL}1/")):
        assert response.status_code == 403
        assert "events:subscribe" in response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


def test_no_token_no_subscriptions(anonymous):
    assert anonymous.get(URL).status_code == 401


def test_another_clients_subscriptions_are_invisible(api, ivr, make_client):
    crm, crm_token = make_client("CRM")
    theirs = subscription_create(client=crm, target_url="https://crm.example.com/a", events=["case.created"], by=None)
    assert api.get(URL).json() == []
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    response = api.delete(f"{URL}{theirs.pk}/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert WebhookSubscription.objects.get().deleted_at is None
    assert [row["id"] for row in as_client(crm_token).get(URL).json()] == [theirs.pk]


@pytest.mark.parametrize(
    ("target_url", "why"),
    [
        ("ftp://crm.example.com/hooks", "http"),
        ("crm.example.com/hooks", "http"),
        ("https://user:password@crm.example.com/hooks", "password"),
        ("javascript:alert(1)", "http"),
        ("", "blank"),
    ],
)
def test_a_bad_url_is_refused_and_nothing_is_made(api, target_url, why):
    response = api.post(URL, body(target_url=target_url), format="json")
    assert response.status_code == 400
    assert why in errors_of(response)["target_url"]
    assert not WebhookSubscription.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook").exists()


def test_an_unknown_event_is_refused_and_nothing_is_made(api):
    response = api.post(URL, body(events=["case.created", "case.exploded"]), format="json")
    assert response.status_code == 400
    assert "case.exploded" in errors_of(response)["events.1"]
    assert api.post(URL, body(events=[]), format="json").status_code == 400
    response = api.post(URL, {**body(), "secret": "mine"}, format="json")
    assert response.status_code == 400 and "secret" in errors_of(response)
    assert not WebhookSubscription.objects.exists()


def test_deleting_stops_the_events_and_gives_up_what_waits(api, ivr, msk):
    subscription = subscription_create(
        client=ivr[0], target_url="https://crm.example.com/h", events=["case.created"], by=None
    )
    event = WebhookEvent.objects.create(
        type="case.created", occurred_at=subscription.created_at, branch=msk, case_number="1", payload={}
    )
    WebhookDelivery.objects.create(
        event=event, subscription=subscription, created_at=event.occurred_at, next_attempt_at=event.occurred_at
    )
    assert api.delete(f"{URL}{subscription.pk}/").status_code == 204
    assert api.get(URL).json() == [] and api.get(f"{URL}{subscription.pk}/").status_code == 404
    assert api.delete(f"{URL}{subscription.pk}/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.deleted_at is not None
    assert WebhookDelivery.objects.get().status == "failed"
    assert AuditEntry.objects.filter(action="webhook_subscription.deleted", actor=ivr[0].account).count() == 1


def test_the_same_idempotency_key_makes_one_subscription(api):
    first = api.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    second = api.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert WebhookSubscription.objects.count() == 1
