"""Every request carries an id, and so does every line logged while it is served and every task it queued.

The id comes from the proxy's ``X-Request-ID`` header when it is a sane token, and is made otherwise; the
response echoes it, the error pages show it, and ``contactcenter.logs.RequestContextFilter`` writes it (and
the user's id) into every log record. A task queued while a request is served carries the id in its message
headers (``before_task_publish``), and the worker puts it back in place before the task runs
(``task_prerun``), so one id follows a person's click into the worker's log.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_prerun

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What a proxy may hand us: a UUID, a hex or base64-ish token, at most 128 characters; anything else (spaces,
# quotes, control characters that could forge a log line) is replaced by an id of our own.
VALID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")

current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
current_user_id: ContextVar[int | None] = ContextVar("user_id", default=None)

logger = logging.getLogger("contactcenter.requests")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    return header if header and VALID.fullmatch(header) else new_request_id()


class RequestIdMiddleware:
    """Early in the chain: the id is known before anything may log or refuse the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(HEADER))
        request_token = current_request_id.set(request.request_id)
        user_token = current_user_id.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            # The path only: a query string may hold a customer's phone or name.
            logger.info(
                "%s %s %s %.0f ms",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            current_user_id.reset(user_token)
            current_request_id.reset(request_token)


class LogUserMiddleware:
    """After the login is known (``LoginRequiredMiddleware`` has read it already): the user's id for the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current_user_id.set(user.pk)
        return self.get_response(request)


@before_task_publish.connect(dispatch_uid="contactcenter.request_id.publish")
def _carry_request_id(headers=None, **kwargs):
    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


@task_prerun.connect(dispatch_uid="contactcenter.request_id.prerun")
def _restore_request_id(task=None, **kwargs):
    """Set for the task's whole run, its "succeeded" line included; the next task sets its own (or none)."""
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    current_request_id.set(request_id if request_id and VALID.fullmatch(str(request_id)) else None)
    current_user_id.set(None)
