"""Every error of the API as RFC 9457 problem details (``application/problem+json``).

``{"type", "title", "status", "detail", "errors": [{"field", "message", "code"}]}``: ``errors`` lists each
field's problems (``field`` is null for a problem of the request as a whole). A service's Django
``ValidationError`` becomes a 400 with its field errors, exactly as a form shows them.
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MEDIA_TYPE = "application/problem+json"


class ProblemError(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    code = serializers.CharField()


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemError(many=True, required=False)


class IdempotencyConflict(exceptions.APIException):
    status_code = 422
    default_detail = "The Idempotency-Key was used before with a different request."
    default_code = "idempotency_key_reused"


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            name = None if name in (NON_FIELD_ERRORS, "non_field_errors") else str(name)
            found += _flatten(value, name if field is None else (f"{field}.{name}" if name else field))
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            inner = field if not isinstance(value, (dict, list)) else f"{field}.{index}" if field else str(index)
            found += _flatten(value, inner)
        return found
    return [{"field": field, "message": str(detail), "code": getattr(detail, "code", None) or "invalid"}]


def _django_errors(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {
                "field": None if name == NON_FIELD_ERRORS else name,
                "message": message,
                "code": item.code or "invalid",
            }
            for name, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [
        {"field": None, "message": message, "code": item.code or "invalid"}
        for item in error.error_list
        for message in item.messages
    ]


def problem(status: int, detail: str, *, errors: list[dict] | None = None, code: str = "", headers=None) -> Response:
    body = {
        "type": f"urn:contactcenter:problem:{code}" if code else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status, headers=headers, content_type=MEDIA_TYPE)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        return problem(400, _("The request was refused: see the errors."), errors=errors, code="invalid")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    headers = {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            _("The request was refused: see the errors."),
            errors=_flatten(exc.detail),
            code="invalid",
            headers=headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data.get("detail", "")
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    return problem(response.status_code, str(detail), code=code if isinstance(code, str) else "", headers=headers)
