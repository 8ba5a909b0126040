"""API clients in the admin: the token shown once at creation, through the audited services; revocation and
a new token as actions; idempotency keys read-only."""

import pytest
from django.contrib.messages import get_messages

from api import tokens
from api.models import ApiClient, IdempotencyKey
from contactcenter.audit.models import AuditEntry
from tests.admin_pages import actions_offered, add_page, change_page, changelist, shown

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_adding_a_client_shows_its_token_once(admin_client, msk):
    response = admin_client.post(
        add_page(ApiClient),
        {
            "name": "Website",
            "branches": [msk.pk],
            "scopes": ["callbacks:write", "cases:read"],
            "expires_at_0": "",
            "expires_at_1": "",
            "requests_per_minute": "120",
        },
        follow=True,
    )
    assert response.status_code == 200
    client = ApiClient.objects.get()
    (message,) = [text for text in messages_of(response) if "shown only now" in text]
    token = message.rsplit(" ", 1)[-1]
    lookup, secret = tokens.split(token)
    assert (client.token_lookup, client.token_hash) == (lookup, tokens.hash_secret(secret))
    assert (client.scopes, client.requests_per_minute) == (["callbacks:write", "cases:read"], 120)
    assert list(client.account.branches.all()) == [msk]
    assert AuditEntry.objects.for_target(client).get().action == "api_client.created"
    page = admin_client.get(change_page(client))
    assert secret not in page.content.decode()
    assert client.token_hint in page.content.decode()


def test_a_name_taken_is_shown_on_the_form(admin_client, msk, ivr):
    response = admin_client.post(
        add_page(ApiClient), {"name": "ivr", "branches": [msk.pk], "scopes": [], "requests_per_minute": "60"}
    )
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_changing_a_client_goes_through_the_service(admin_client, msk, bud, ivr):
    client = ivr[0]
    response = admin_client.post(
        change_page(client),
        {"name": "IVR", "branches": [msk.pk, bud.pk], "scopes": ["cases:read"], "requests_per_minute": "600"},
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.scopes == ["cases:read"]
    assert set(client.account.branches.values_list("code", flat=True)) == {"MSK", "BUD"}
    entry = AuditEntry.objects.for_target(client).get(action="api_client.changed")
    assert entry.changes["branches"] == ["MSK", "BUD, MSK"]


def test_revoke_and_new_token_actions(admin_client, ivr):
    client, old_token = ivr
    assert actions_offered(admin_client, ApiClient) >= {"revoke", "new_token"}
    response = admin_client.post(
        changelist(ApiClient), {"action": "new_token", "_selected_action": [client.pk]}, follow=True
    )
    (message,) = [text for text in messages_of(response) if "shown only now" in text]
    client.refresh_from_db()
    assert tokens.split(message.rsplit(" ", 1)[-1])[0] == client.token_lookup != tokens.split(old_token)[0]
    admin_client.post(changelist(ApiClient), {"action": "revoke", "_selected_action": [client.pk]})
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert shown(admin_client.get(changelist(ApiClient) + "?revoked_at__isnull=False")) == [client]


def test_idempotency_keys_are_read_only(admin_client, ivr):
    IdempotencyKey.objects.create(client=ivr[0], key="k", fingerprint="f", path="/api/v1/callbacks/", status_code=201)
    assert len(shown(admin_client.get(changelist(IdempotencyKey)))) == 1
    assert admin_client.get(add_page(IdempotencyKey)).status_code == 403
