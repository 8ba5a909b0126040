"""The signature of a webhook: ``X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``, computed with the
subscription's secret over ``<t>.<body>`` (the timestamp, a dot, the exact bytes of the body). The timestamp
is that of the attempt, so a receiver can refuse an old message replayed (README, "Webhooks")."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-Webhook-Signature"
ID_HEADER = "X-Webhook-Id"
EVENT_HEADER = "X-Webhook-Event"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
