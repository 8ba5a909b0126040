"""Delivering webhooks: the outbox's rules (``contactcenter.alerts.outbox``), a POST instead of an e-mail.

A run (``BoundedRun``: its clock and limits, shared with the mail senders) takes the ready deliveries oldest
first, one at a time: claimed by a conditional update (the row is the lock; two workers racing get one each,
never the same), the claim renewed, conditionally on its token, just before the POST (a sender whose claim
lapsed sends nothing), marked delivered only on a 2xx and only while the row still carries its token.
Anything else (a refused connection, a timeout, a 3xx, 4xx or 5xx) keeps the error and waits 1, 2, 4…
minutes (at most ``ALERT_RETRY_MAX_MINUTES``); after ``ALERT_MAX_ATTEMPTS`` the delivery is failed, shown in
the admin and retryable there. Every failed attempt counts as in doubt (the receiver may have had it before the
connection broke): the body, and so the event id, never change, and a receiver drops a copy by that id.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from contactcenter.alerts.sending import BoundedRun

from ..models import WebhookDelivery
from . import signing
from .targets import connect_to_public_address

logger = logging.getLogger(__name__)

USER_AGENT = "contactcenter-webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx is an answer like any other that is not a 2xx: the body is not sent on to another address."""

    def redirect_request(self, *args, **kwargs):
        return None


class _CheckedHTTPConnection(http.client.HTTPConnection):
    """Connects only to an address ``targets`` allows: the one it actually connects to, checked each time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = connect_to_public_address


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = connect_to_public_address


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


# No proxy: the address checked must be the receiver's own.
_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirects, _CheckedHTTPHandler, _CheckedHTTPSHandler
)


class NotDelivered(Exception):
    """The receiver answered, but not with a 2xx."""

    def __init__(self, status: int, body: bytes):
        self.status = status
        super().__init__(f"HTTP {status}: {body[:300].decode(errors='replace')}")


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.event.payload, ensure_ascii=False, separators=(",", ":")).encode()


def post(delivery: WebhookDelivery, *, now: datetime) -> int:
    """POST the event to the subscription's URL; its HTTP status on a 2xx, else ``NotDelivered`` or the error of
    the connection (refused, timed out…)."""
    body = body_of(delivery)
    request = urllib.request.Request(
        delivery.subscription.target_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            signing.ID_HEADER: str(delivery.event.event_id),
            signing.EVENT_HEADER: delivery.event.type,
            signing.SIGNATURE_HEADER: signing.sign(
                secret=delivery.subscription.secret, timestamp=int(now.timestamp()), body=body
            ),
        },
    )
    try:
        with _OPENER.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
            response.read(1024)
    except urllib.error.HTTPError as error:
        raise NotDelivered(error.code, error.read(300) if error.fp else b"") from None
    if not 200 <= status < 300:
        raise NotDelivered(status, b"")
    return status


def deliver_webhook(*, delivery_id: int, run: BoundedRun | None = None) -> bool | None:
    """Claim, POST and mark one delivery. True when the receiver answered 2xx; False when the attempt failed (it
    waits for its next attempt, or is failed after the last); None when there was nothing to take (delivered,
    not due, or another sender holds it)."""
    run = run or BoundedRun()
    claim = WebhookDelivery.objects.filter(pk=delivery_id).claim(run.now())
    if claim is None:
        return None
    delivery = claim.rows.select_related("event", "subscription").get()
    if not claim.renew(run.now()):
        logger.warning("The claim of webhook delivery %s lapsed before it was sent", delivery_id)
        return None
    run.messages += 1
    try:
        status = post(delivery, now=run.now())
    except Exception as error:  # refused, timed out, not a 2xx: perhaps received all the same
        logger.warning("Webhook delivery %s to %s failed: %s", delivery_id, delivery.subscription.target_url, error)
        claim.rows.update(last_status=getattr(error, "status", None))
        claim.release_after_failure(error=error, now=run.started, in_doubt=True)
        return False
    if not claim.mark_sent(run.now()):
        logger.warning("Webhook delivery %s was delivered, but another sender holds it now", delivery_id)
    WebhookDelivery.objects.filter(pk=delivery_id).update(last_status=status)
    return True


@dataclass
class WebhookResult:
    delivered: int = 0
    failed: int = 0


def send_webhooks(*, now: datetime | None = None) -> WebhookResult:
    """Deliver the ready webhooks, oldest first, within the run's limits; safe to run twice at once."""
    result, run = WebhookResult(), BoundedRun(now=now)
    ready = WebhookDelivery.objects.ready(run.now()).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    for delivery_id in list(ready[: settings.ALERT_RUN_MAX_MESSAGES]):
        if not run.has_room():
            break
        delivered = deliver_webhook(delivery_id=delivery_id, run=run)
        if delivered is True:
            result.delivered += 1
        elif delivered is False:
            result.failed += 1
    return result
