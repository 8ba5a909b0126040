"""Webhooks go only to public addresses in production (WEBHOOK_ALLOW_PRIVATE_TARGETS off): a subscription to a
loopback, private, link-local, multicast or reserved address, or to a name resolving to one, is refused when it is
made (API and admin), and the sender checks the address it actually connects to, so a name re-pointed after
subscribing gets nothing: the attempt fails, with the reason, before anything is sent."""

import socket
from unittest import mock

import pytest

from api.models import WebhookDelivery, WebhookSubscription
from api.webhooks import targets
from api.webhooks.delivery import send_webhooks
from api.webhooks.subscriptions import subscription_create
from contactcenter.audit.models import AuditEntry
from tests.admin_pages import add_page
from tests.api.test_subscriptions import URL, body, errors_of
from tests.api.test_webhooks import EVERY_EVENT, register_callback

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://127.0.0.1/hooks", "127.0.0.1"),  # loopback
    ("http://127.8.9.10/hooks", "127.8.9.10"),
    ("http://10.1.2.3/hooks", "10.1.2.3"),  # private
    ("http://172.16.0.5/hooks", "172.16.0.5"),
    ("http://192.168.1.1/hooks", "192.168.1.1"),
    ("http://100.64.0.1/hooks", "100.64.0.1"),  # shared (carrier-grade NAT)
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),  # link-local: the cloud's metadata
    ("http://224.0.0.1/hooks", "224.0.0.1"),  # multicast
    ("http://239.1.2.3/hooks", "239.1.2.3"),
    ("http://240.0.0.1/hooks", "240.0.0.1"),  # reserved
    ("http://0.0.0.0/hooks", "0.0.0.0"),  # unspecified
    ("http://[::1]/hooks", "::1"),  # IPv6 loopback
    ("http://[fc00::1]/hooks", "fc00::1"),  # IPv6 unique local (fc00::/7)
    ("http://[fd12:3456::1]/hooks", "fd12:3456::1"),
    ("http://[fe80::1]/hooks", "fe80::1"),  # IPv6 link-local
    ("http://[ff02::1]/hooks", "ff02::1"),  # IPv6 multicast
    ("http://[::ffff:127.0.0.1]/hooks", "::ffff:127.0.0.1"),  # IPv4-mapped loopback
    ("http://[::]/hooks", "::"),
]


@pytest.fixture
def production(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False


def resolving_to(*addresses):
    """socket.getaddrinfo answering every name with these addresses."""

    def getaddrinfo(host, port, family=0, kind=0, proto=0, flags=0):
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))
            for address in addresses
        ]

    return mock.patch.object(targets.socket, "getaddrinfo", side_effect=getaddrinfo)


@pytest.mark.parametrize(("target_url", "address"), REFUSED)
def test_a_subscription_to_a_non_public_address_is_refused_naming_the_field(api, production, target_url, address):
    response = api.post(URL, body(target_url=target_url), format="json")
    assert response.status_code == 400
    message = errors_of(response)["target_url"]
    assert address in message and "public addresses" in message
    assert not WebhookSubscription.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook").exists()


def test_a_name_resolving_to_loopback_is_refused(api, production):
    response = api.post(URL, body(target_url="http://localhost:8000/hooks"), format="json")
    assert response.status_code == 400
    assert (
        "localhost is 127.0.0.1" in errors_of(response)["target_url"]
        or "localhost is ::1" in errors_of(response)["target_url"]
    )
    assert not WebhookSubscription.objects.exists()


def test_a_name_is_refused_when_any_of_its_addresses_is_private(api, production):
    with resolving_to("93.184.215.14", "10.0.0.7"):
        response = api.post(URL, body(target_url="https://crm.example.com/hooks"), format="json")
    assert response.status_code == 400 and "10.0.0.7" in errors_of(response)["target_url"]
    assert not WebhookSubscription.objects.exists()


def test_public_addresses_and_names_are_accepted(api, production):
    assert api.post(URL, body(target_url="https://93.184.215.14/hooks"), format="json").status_code == 201
    assert api.post(URL, body(target_url="https://[2606:4700::1111]/hooks"), format="json").status_code == 201
    with resolving_to("93.184.215.14", "2606:4700::1111"):
        assert api.post(URL, body(target_url="https://crm.example.com/hooks"), format="json").status_code == 201
    assert WebhookSubscription.objects.count() == 3


def test_a_name_that_does_not_resolve_now_is_accepted_and_checked_when_sent(api, production):
    with mock.patch.object(targets.socket, "getaddrinfo", side_effect=socket.gaierror("no such name")):
        assert api.post(URL, body(target_url="https://not-yet.example.com/hooks"), format="json").status_code == 201


def test_private_targets_are_accepted_when_the_setting_allows_them(api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    for target_url in ("http://127.0.0.1/hooks", "http://localhost/hooks", "http://[::1]/h", "http://[fc00::1]/h"):
        assert api.post(URL, body(target_url=target_url), format="json").status_code == 201
    assert WebhookSubscription.objects.count() == 4


def test_the_admin_form_refuses_them_too(admin_client, ivr, production):
    response = admin_client.post(
        add_page(WebhookSubscription),
        {"client": ivr[0].pk, "target_url": "http://192.168.0.10/hooks", "events": ["case.created"]},
    )
    assert response.status_code == 200 and "192.168.0.10" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


class TestDelivery:
    @pytest.fixture
    def subscribed(self, ivr, receiver, settings):
        """Subscribed while allowed (or while the name pointed elsewhere); production from then on."""
        subscription = subscription_create(client=ivr[0], target_url=receiver.url, events=EVERY_EVENT, by=None)
        receiver.state.secret = subscription.secret
        settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
        return subscription

    def test_a_refused_address_gets_nothing_and_the_attempt_fails_with_the_reason(
        self, api, subscribed, receiver, monday_morning
    ):
        register_callback(api)
        assert send_webhooks().failed == 1
        assert receiver.requests == [], "nothing was sent"
        row = WebhookDelivery.objects.get()
        assert row.status == "pending" and row.attempts == 1 and row.last_status is None
        assert "TargetRefused" in row.last_error and "127.0.0.1" in row.last_error
        assert row.next_attempt_at > row.created_at, "tried again after the back-off, like any failure"

    def test_a_name_re_pointed_after_subscribing_is_checked_on_the_address_connected_to(
        self, api, ivr, receiver, monday_morning, settings
    ):
        settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
        with resolving_to("93.184.215.14"):
            subscription_create(
                client=ivr[0], target_url=f"http://hooks.example.com:{receiver.port}/hooks", events=EVERY_EVENT, by=None
            )
        register_callback(api)
        with resolving_to("127.0.0.1"):
            assert send_webhooks().failed == 1
        assert receiver.requests == []
        row = WebhookDelivery.objects.get()
        assert "hooks.example.com is 127.0.0.1" in row.last_error and row.attempts == 1

    def test_allowed_again_it_is_delivered(self, api, subscribed, receiver, monday_morning, settings):
        register_callback(api)
        settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
        assert send_webhooks().delivered == 1
        assert len(receiver.requests) == 1 and receiver.requests[0].signature_valid


@pytest.mark.parametrize(("target_url", "address"), REFUSED)
def test_every_refused_class_is_refused_by_the_address_check(target_url, address):
    assert targets.is_refused_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "2a00:1450:4010:c0e::8a"])
def test_public_addresses_pass_the_address_check(address):
    assert not targets.is_refused_address(address)


def test_the_refusal_reads_in_russian(settings):
    from django.utils import translation

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with translation.override("ru"):
        assert targets.target_refusal("http://10.0.0.1/hooks") == (
            "10.0.0.1 — это 10.0.0.1, адрес обратной петли, частной или локальной сети, групповой или "
            "зарезервированный: вебхуки отправляются только на публичные адреса."
        )
