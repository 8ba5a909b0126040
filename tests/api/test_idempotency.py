"""Idempotency-Key on every POST: replayed, refused when reused with another body, kept for a while, one case
for two identical requests at the same moment."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from api.idempotency import purge_expired_keys
from api.models import IdempotencyKey
from callbacks.models import Callback
from contactcenter.audit.models import AuditEntry
from tests.concurrency import at_once

from .test_callbacks import URL, body

pytestmark = pytest.mark.django_db


def post(api, data, key):
    return api.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


class TestReplay:
    def test_the_same_key_and_body_answers_the_first_response_and_creates_nothing(self, api, monday_morning):
        first = post(api, body(), "call-0001")
        again = post(api, body(), "call-0001")
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Callback.objects.count() == 1
        assert AuditEntry.objects.filter(action="callback.registered").count() == 1

    def test_the_same_key_with_another_body_is_422(self, api, monday_morning):
        post(api, body(), "call-0002")
        response = post(api, body(customer_said="Something else"), "call-0002")
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:contactcenter:problem:idempotency_key_reused"
        assert Callback.objects.count() == 1

    def test_other_keys_create_other_callbacks(self, api, monday_morning):
        post(api, body(), "a")
        post(api, body(), "b")
        assert Callback.objects.count() == 2

    def test_keys_belong_to_their_client(self, api, make_client, monday_morning):
        post(api, body(), "shared")
        _other, token = make_client("CRM")
        crm = APIClient()
        crm.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert post(crm, body(channel="crm"), "shared").status_code == 201
        assert Callback.objects.count() == 2

    def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(self, api, monday_morning):
        assert post(api, body(customer_name=""), "call-0003").status_code == 400
        assert not IdempotencyKey.objects.exists()
        assert post(api, body(), "call-0003").status_code == 201
        assert Callback.objects.count() == 1

    @pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there"])
    def test_a_malformed_key_is_refused(self, api, monday_morning, key):
        response = post(api, body(), key)
        assert response.status_code == 400
        assert not Callback.objects.exists()


class TestKeeping:
    def test_a_key_older_than_the_setting_is_free_again(self, api, monday_morning, settings):
        settings.API_IDEMPOTENCY_KEEP_HOURS = 2
        post(api, body(), "call-0004")
        monday_morning.shift(timedelta(hours=2, seconds=1))
        response = post(api, body(customer_said="A new request"), "call-0004")
        assert response.status_code == 201
        assert Callback.objects.count() == 2
        assert IdempotencyKey.objects.get().fingerprint

    def test_the_purge_deletes_only_expired_keys(self, api, monday_morning, settings):
        settings.API_IDEMPOTENCY_KEEP_HOURS = 24
        post(api, body(), "old")
        monday_morning.shift(timedelta(hours=23))
        post(api, body(), "young")
        monday_morning.shift(timedelta(hours=1))
        assert purge_expired_keys() == 1
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["young"]
        out = io.StringIO()
        call_command("purge_idempotency_keys", stdout=out)
        assert out.getvalue().strip() == "0 idempotency key(s) deleted."

    def test_beat_purges_every_hour(self):
        from django_celery_beat.models import PeriodicTask

        task = PeriodicTask.objects.get(task="api.purge_idempotency_keys")
        assert (task.enabled, task.interval.every, task.interval.period) == (True, 1, "hours")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestRace:
    def test_two_identical_requests_at_the_same_moment_create_one_callback(self, ivr, msk):
        def send():
            http = APIClient()
            http.credentials(HTTP_AUTHORIZATION=f"Bearer {ivr[1]}")
            return post(http, body(), "race-key")

        results, errors = at_once(send, send, send, send)
        assert errors == []
        assert [r.status_code for r in results] == [201] * 4
        assert len({r.json()["number"] for r in results}) == 1
        assert sorted(r.get("Idempotent-Replayed", "") for r in results) == ["", "true", "true", "true"]
        assert Callback.objects.count() == 1
        assert IdempotencyKey.objects.count() == 1

    def test_two_different_bodies_with_one_key_at_once_make_one_callback_and_a_422(self, ivr, msk):
        def send(said):
            def go():
                http = APIClient()
                http.credentials(HTTP_AUTHORIZATION=f"Bearer {ivr[1]}")
                return post(http, body(customer_said=said), "race-key-2")

            return go

        results, errors = at_once(send("first"), send("second"))
        assert errors == []
        assert sorted(r.status_code for r in results) == [201, 422]
        assert Callback.objects.count() == 1
