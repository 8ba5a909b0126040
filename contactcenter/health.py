"""Health checks for a load balancer or an orchestrator: ``/health/`` (the process answers) and
``/health/ready/`` (what the process needs answers too: the database, the broker, the media storage, and a
scan finished less than ``HEALTH_SCAN_MAX_AGE_SECONDS`` ago, which proves beat and the scan's worker alive).

Both answer JSON without a login, before any other middleware: a probe comes over plain HTTP from an address
that is not in ``ALLOWED_HOSTS``, and must be neither redirected to HTTPS nor refused as a bad host. The reply
names what is down, never why (the reason, which may name hosts, goes to the log).
"""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from kombu import Connection

from contactcenter.deadlines.models import ScanStatus

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/"
READY_PATH = "/health/ready/"


class NotReady(Exception):
    """A dependency answers, but not as it should (a stale scan)."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=1, transport_options=options) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        broker.default_channel  # noqa: B018 -- opening a channel is what proves the broker takes commands


def check_media() -> None:
    """Write and remove a small file where complaint photos go."""
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)


def check_scan() -> None:
    status = ScanStatus.last()
    if status is None:
        raise NotReady("the scan has never finished")
    age = (timezone.now() - status.finished_at).total_seconds()
    if age > settings.HEALTH_SCAN_MAX_AGE_SECONDS:
        raise NotReady(f"the last scan finished {age:.0f} s ago")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "media": check_media,
    "scan": check_scan,
}


def readiness() -> dict[str, str]:
    """``{check: "ok" | "down"}`` for every check, each run whatever the others gave."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency means "down", whatever its type
            logger.warning("Health: %s is down: %s: %s", name, type(error).__name__, error)
            results[name] = "down"
        else:
            results[name] = "ok"
    return results


def live_response() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def ready_response() -> JsonResponse:
    checks = readiness()
    down = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "down" if down else "ok", "checks": checks, "down": down}
    return JsonResponse(body, status=503 if down else 200)


class HealthMiddleware:
    """Answers the two health paths itself, first of all the middleware (see the module's docstring)."""

    ROUTES = {LIVE_PATH: live_response, READY_PATH: ready_response}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = self.ROUTES.get(request.path_info)
        if route is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = route()
        response["Cache-Control"] = "no-store"
        return response
