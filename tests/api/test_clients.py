"""API clients and their tokens: created by the command or the admin, shown once, stored as a hash only,
revoked, expiring; every change through the API names the client's account in the audit trail."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api import tokens
from api.models import ApiClient
from api.services import api_client_revoke
from contactcenter.audit.models import AuditEntry
from tests.moments import moscow

pytestmark = pytest.mark.django_db

CALLBACKS = "/api/v1/callbacks/"


def callback_body(**overrides):
    return {
        "branch": "MSK",
        "customer_phone": "+7 916 123-45-67",
        "customer_name": "Ivan Ivanov",
        "reason": "asked_callback",
        "customer_said": "Please call me about my card.",
        "channel": "ivr",
        **overrides,
    }


def call_create_api_client(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_client", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


class TestCommand:
    def test_prints_the_token_once_and_stores_only_its_hash(self, msk):
        token, message = call_create_api_client("IVR", "--branch", "msk", "--scope", "callbacks:write")
        assert "shown only now" in message
        client = ApiClient.objects.get(name="IVR")
        assert client.scopes == ["callbacks:write"]
        assert list(client.branches.values_list("code", flat=True)) == ["MSK"]
        lookup, secret = tokens.split(token)
        assert client.token_lookup == lookup
        assert client.token_hash == tokens.hash_secret(secret) != secret
        stored = " ".join(str(value) for value in ApiClient.objects.values_list().get())
        assert secret not in stored
        assert not client.account.is_active and not client.account.has_usable_password()

    def test_the_token_it_printed_works(self, msk, anonymous):
        token, _message = call_create_api_client("Website", "--branch", "MSK", "--scope", "callbacks:write")
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert anonymous.post(CALLBACKS, callback_body(channel="website"), format="json").status_code == 201

    @pytest.mark.parametrize(
        "args, message",
        [
            (["--branch", "XXX", "--scope", "cases:read"], "Unknown branch: XXX"),
            (["--scope", "cases:read"], "at least one --branch"),
            (["--branch", "MSK"], "at least one --scope"),
            (["--branch", "MSK", "--scope", "cases:read", "--expires", "tomorrow"], "ISO moment"),
        ],
    )
    def test_refuses_what_is_wrong_and_creates_nothing(self, msk, args, message):
        with pytest.raises(CommandError, match=message):
            call_create_api_client("CRM", *args)
        assert not ApiClient.objects.exists()

    def test_a_name_taken_is_refused(self, msk):
        call_create_api_client("CRM", "--branch", "MSK", "--scope", "cases:read")
        with pytest.raises(CommandError, match="exists already"):
            call_create_api_client("crm", "--branch", "MSK", "--scope", "cases:read")
        assert ApiClient.objects.count() == 1


class TestAuthentication:
    def test_no_token_is_401_as_problem_details(self, anonymous, msk):
        response = anonymous.post(CALLBACKS, callback_body(), format="json")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401
        assert response["WWW-Authenticate"] == "Bearer"

    @pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer cc_000000000000.wrong", "Bearer cc_"])
    def test_a_wrong_token_is_401(self, ivr, anonymous, header):
        anonymous.credentials(HTTP_AUTHORIZATION=header)
        assert anonymous.post(CALLBACKS, callback_body(), format="json").status_code == 401

    def test_the_right_lookup_with_a_wrong_secret_is_401(self, ivr, anonymous):
        client, _token = ivr
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer cc_{client.token_lookup}.not-the-secret")
        assert anonymous.post(CALLBACKS, callback_body(), format="json").status_code == 401

    def test_a_revoked_token_stops_working_at_once(self, ivr, api):
        api_client_revoke(client=ivr[0], by=None)
        response = api.post(CALLBACKS, callback_body(), format="json")
        assert response.status_code == 401
        assert "revoked" in response.json()["detail"]

    def test_a_client_s_use_is_noted_at_most_once_a_minute(self, ivr, api):
        client = ivr[0]
        path = "/api/v1/customers/open-cases/"
        with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
            assert api.get(path, {"phone": "+79161234567"}).status_code == 200
            first = ApiClient.objects.get(pk=client.pk).last_used_at
            assert first == timezone.now()
            traveller.shift(timedelta(seconds=50))
            assert api.get(path, {"phone": "+79161234567"}).status_code == 200
            assert ApiClient.objects.get(pk=client.pk).last_used_at == first
            traveller.shift(timedelta(seconds=20))
            assert api.get(path, {"phone": "+79161234567"}).status_code == 200
            assert ApiClient.objects.get(pk=client.pk).last_used_at == timezone.now()

    def test_an_expired_token_stops_working(self, make_client, anonymous):
        with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
            _client, token = make_client(expires_at=timezone.now() + timedelta(hours=1))
            anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            assert anonymous.get("/api/v1/customers/open-cases/", {"phone": "+79161234567"}).status_code == 200
            traveller.shift(timedelta(hours=1))
            response = anonymous.get("/api/v1/customers/open-cases/", {"phone": "+79161234567"})
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    def test_a_scope_not_granted_is_403_and_creates_nothing(self, make_client, anonymous):
        _client, token = make_client(scopes=["cases:read"])
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = anonymous.post(CALLBACKS, callback_body(), format="json")
        assert response.status_code == 403
        assert "callbacks:write" in response.json()["detail"]
        assert not AuditEntry.objects.filter(action="callback.registered").exists()

    def test_the_token_is_not_a_staff_login(self, ivr, client):
        """The account behind a client cannot open a page, not even with a session forced on it."""
        client.force_login(ivr[0].account)
        assert client.get(reverse("callbacks:list")).status_code in (302, 403)


class TestRateLimit:
    def test_over_the_clients_rate_is_429_with_retry_after(self, make_client, anonymous, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
        _client, token = make_client(requests_per_minute=2)
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        url = "/api/v1/customers/open-cases/"
        assert [anonymous.get(url, {"phone": "+79161234567"}).status_code for _ in range(2)] == [200, 200]
        response = anonymous.get(url, {"phone": "+79161234567"})
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert response["Content-Type"] == "application/problem+json"

    def test_each_client_has_its_own_count(self, make_client, anonymous, settings, msk):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl2"}}
        _first, first = make_client("IVR", requests_per_minute=1)
        _second, second = make_client("CRM", requests_per_minute=1)
        url = "/api/v1/customers/open-cases/"
        for token in (first, second):
            anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            assert anonymous.get(url, {"phone": "+79161234567"}).status_code == 200
        assert anonymous.get(url, {"phone": "+79161234567"}).status_code == 429

    def test_a_minute_of_the_clock_counts_and_the_next_one_starts_afresh(self, make_client, anonymous, settings):
        from django.core.cache import cache

        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl3"}}
        client, token = make_client(requests_per_minute=2)
        anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        url, query = "/api/v1/customers/open-cases/", {"phone": "+79161234567"}
        with time_machine.travel(moscow(2026, 11, 23, 10, 0, 35), tick=False) as traveller:
            assert [anonymous.get(url, query).status_code for _ in range(2)] == [200, 200]
            refused = anonymous.get(url, query)
            assert (refused.status_code, refused["Retry-After"]) == (429, "25"), "the rest of the minute"
            minute = int(timezone.now().timestamp() // 60)
            # What the cache keeps for a client is one number a minute, whatever the rate.
            assert cache.get(f"throttle_api_client_{client.pk}_{minute}") == 3
            traveller.move_to(moscow(2026, 11, 23, 10, 1, 0))
            assert anonymous.get(url, query).status_code == 200


class TestAudit:
    def test_a_callback_made_through_the_api_names_the_client(self, ivr, api):
        response = api.post(CALLBACKS, callback_body(), format="json")
        assert response.status_code == 201, response.json()
        entry = AuditEntry.objects.get(action="callback.registered")
        assert entry.actor == ivr[0].account
        assert str(entry.actor) == "API IVR"
        customer_entry = AuditEntry.objects.get(action="customer.created")
        assert customer_entry.actor == ivr[0].account

    def test_creating_and_revoking_a_client_is_audited(self, ivr, root):
        api_client_revoke(client=ivr[0], by=root)
        assert list(
            AuditEntry.objects.for_target(ivr[0]).order_by("at", "pk").values_list("action", "actor__username")
        ) == [("api_client.created", None), ("api_client.revoked", "root")]
