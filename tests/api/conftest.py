import pytest
import time_machine
from rest_framework.test import APIClient

from api import scopes
from api.services import api_client_create
from tests.moments import moscow
from tests.webhook_receiver import WebhookReceiver

EVERY_SCOPE = list(scopes.SCOPES)


@pytest.fixture
def monday_morning():
    """Monday 23 November 2026, 10:00 in Moscow, frozen."""
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_client(msk):
    """``make_client(scopes=[...], branches=[...])``: an API client and its token."""

    def make(name="IVR", *, scopes=EVERY_SCOPE, branches=None, **kwargs):
        return api_client_create(name=name, branches=branches or [msk], scopes=scopes, by=None, **kwargs)

    return make


@pytest.fixture
def ivr(make_client):
    client, token = make_client()
    return client, token


@pytest.fixture
def api(ivr):
    """A DRF test client that sends the IVR's token."""
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {ivr[1]}")
    return http


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The rate limit counts in the cache, which outlives a test's database: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def receiver():
    """A real HTTP receiver of webhooks on 127.0.0.1 (``tests.webhook_receiver``), stopped after the test."""
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()
