"""Optional error reporting to Sentry: only when ``SENTRY_DSN`` is set, and without personal data.

Sentry is told not to send what it calls personal data (``send_default_pii=False``: no user, no address, no
cookies), and on top of that every event loses the request's body, query string, cookies and the frames'
local variables: a customer's name or phone is typed into forms and searches, and sits in local variables.
The request id goes along as a tag, to find the same request in the logs.
"""

from contactcenter.request_id import current_request_id


def scrub(event, hint):
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "query_string", "cookies", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() not in ("cookie", "authorization")
            }
    event.pop("user", None)
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
    )
