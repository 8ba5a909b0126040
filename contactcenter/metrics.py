"""``/metrics`` in Prometheus's text format: the requests this process (or every gunicorn worker) served, and the
domain's own figures, read from the database at each scrape.

Request metrics are counted per process by default. With several gunicorn workers, set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder of the machine (emptied at each start): every worker then
writes its counters there and a scrape, whichever worker answers it, sums them all (prometheus-client's
multiprocess mode). The domain gauges need neither: every worker reads the same database, so any of them
gives the same figures.

Access: a bearer token (``METRICS_TOKEN``) or an address in ``METRICS_ALLOWED_IPS`` (addresses or networks);
anything else gets 401 (token missing or wrong) or 403. Like the health checks, the path is answered before
the host and HTTPS checks, so that Prometheus may scrape a worker by its address over plain HTTP.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines.models import Deadline, ScanStatus
from contactcenter.health import LIVE_PATH, READY_PATH

PATH = "/metrics"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
SKIPPED_PATHS = {PATH, LIVE_PATH, READY_PATH}

REQUESTS = Counter(
    "contactcenter_http_requests_total", "Requests served, by view, method and status.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "contactcenter_http_request_duration_seconds",
    "Time to serve a request, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)


class DomainCollector:
    """The domain's gauges, computed at scrape time (a handful of aggregate queries)."""

    def collect(self):
        now = timezone.now()
        open_clocks = GaugeMetricFamily(
            "contactcenter_open_clocks", "Open clocks, by state and kind.", labels=["state", "kind"]
        )
        for row in (
            Deadline.objects.filter(state__in=Deadline.OPEN_STATES)
            .values("state", "kind")
            .annotate(n=Count("id"))
            .order_by()
        ):
            open_clocks.add_metric([row["state"], row["kind"]], row["n"])
        yield open_clocks

        overdue = GaugeMetricFamily("contactcenter_overdue_clocks", "Overdue clocks, by branch.", labels=["branch"])
        for row in (
            Deadline.objects.filter(state=Deadline.State.OVERDUE)
            .values("branch__code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            overdue.add_metric([row["branch__code"]], row["n"])
        yield overdue

        alerts = Alert.objects.unsent().aggregate(n=Count("id"), oldest=Min("created_at"))
        emails = OutboundEmail.objects.unsent().aggregate(n=Count("id"), oldest=Min("created_at"))
        backlog = GaugeMetricFamily(
            "contactcenter_outbox_backlog", "Alerts and e-mails waiting to be sent.", labels=["outbox"]
        )
        backlog.add_metric(["alert"], alerts["n"])
        backlog.add_metric(["email"], emails["n"])
        yield backlog
        yield GaugeMetricFamily(
            "contactcenter_oldest_unsent_alert_age_seconds",
            "Age of the oldest alert not sent yet (0 when none waits).",
            value=(now - alerts["oldest"]).total_seconds() if alerts["oldest"] else 0,
        )

        failed = GaugeMetricFamily(
            "contactcenter_outbox_failed", "Alerts and e-mails given up after the last attempt.", labels=["outbox"]
        )
        failed.add_metric(["alert"], Alert.objects.failed().count())
        failed.add_metric(["email"], OutboundEmail.objects.failed().count())
        yield failed

        scan = ScanStatus.last()
        if scan is not None:
            yield GaugeMetricFamily(
                "contactcenter_scan_duration_seconds", "How long the last scan took.", value=scan.duration_seconds
            )
            yield GaugeMetricFamily(
                "contactcenter_scan_age_seconds",
                "Seconds since the last scan finished.",
                value=(now - scan.finished_at).total_seconds(),
            )


def registry() -> CollectorRegistry:
    """Request metrics (this process's, or every worker's in multiprocess mode) and the domain's gauges."""
    combined = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(combined)
    else:
        combined.register(REQUESTS)
        combined.register(LATENCY)
    combined.register(DomainCollector())
    return combined


def _bearer(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address_allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


def metrics_response(request) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if token and hmac.compare_digest(_bearer(request).encode(), token.encode()):
        pass
    elif not _address_allowed(request):
        if token:
            response = HttpResponse("A bearer token is needed.\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        return HttpResponse("Not allowed from this address.\n", status=403, content_type="text/plain")
    response = HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def _view_name(request) -> str:
    """The view's name (a bounded set of labels), never the path, which holds ids."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unresolved"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    """Answers ``/metrics`` and times every other request but the health checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return metrics_response(request)
        if request.path_info in SKIPPED_PATHS:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response
