"""The API's views: parse the request, check the client's scope and branches, call the case's service (the
same one the pages call) or a selector, answer. No rule of a case is written here."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from callbacks.services import callback_register
from complaints import photos
from complaints.services import complaint_register
from escalations.services import escalation_open

from . import scopes, selectors, serializers
from .idempotency import HEADER, run_once
from .problems import MEDIA_TYPE, Problem
from .webhooks.subscriptions import subscription_create, subscription_delete

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (1–255 printable characters): the same key with the same body answers the "
    "first response and creates nothing; with another body it is a 422.",
)


CUSTOMER_EXAMPLE = {"branch": "MSK", "customer_phone": "+7 916 123-45-67", "customer_name": "Ivan Ivanov"}
CALLBACK_EXAMPLE = OpenApiExample(
    "From the IVR",
    request_only=True,
    value={
        **CUSTOMER_EXAMPLE,
        "reason": "asked_callback",
        "customer_said": "Card blocked after a trip abroad.",
        "channel": "ivr",
    },
)
COMPLAINT_EXAMPLE = OpenApiExample(
    "From the website",
    request_only=True,
    value={
        **CUSTOMER_EXAMPLE,
        "channel": "website",
        "category": "service",
        "received_at": "2026-11-23T09:30:00+03:00",
        "summary": "Nobody answered my letter.",
    },
)
ESCALATION_EXAMPLE = OpenApiExample(
    "From the CRM",
    request_only=True,
    value={**CUSTOMER_EXAMPLE, "kind": "demands_supervisor", "customer_wants": "To speak to a supervisor."},
)


def problems(*codes: int) -> dict:
    """The problem-details answers an operation may give, besides the ones every operation may give."""
    every = (400, 401, 403, 429)
    return {(code, MEDIA_TYPE): OpenApiResponse(Problem) for code in sorted({*every, *codes})}


# The largest key a PostgreSQL bigint holds: a larger number names no case (and must not reach the database).
LARGEST_NUMBER = 2**63 - 1


def _checked(serializer_class, request, data):
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CallbackCreateView(APIView):
    required_scope = scopes.CALLBACKS_WRITE
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="callback_create",
        summary="Register a callback request",
        request=serializers.CallbackCreate,
        examples=[CALLBACK_EXAMPLE],
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: serializers.CallbackStatus, **problems(415, 422)},
        tags=["callbacks"],
    )
    def post(self, request):
        data = _checked(serializers.CallbackCreate, request, request.data)

        def create():
            callback = callback_register(
                branch=data["branch"],
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                reason=data["reason"],
                customer_said=data["customer_said"],
                channel=data["channel"],
                priority=serializers.PRIORITIES[data["priority"]],
                window_start=data["window_start"],
                window_end=data["window_end"],
                confirm_outside_hours=data["confirm_outside_hours"],
                created_by=request.user,
            )
            # A callback just registered has one open clock, the one its registration opened.
            answer = selectors.callback_status(callback, open_clocks=[callback.contact_clock])
            return Response(serializers.CallbackStatus(answer).data, status=status.HTTP_201_CREATED)

        return run_once(request, create)


class CallbackDetailView(APIView):
    required_scope = scopes.CASES_READ

    @extend_schema(
        operation_id="callback_status",
        summary="A callback's status and due moment",
        responses={200: serializers.CallbackStatus, **problems(404)},
        tags=["callbacks"],
    )
    def get(self, request, number: int):
        if number > LARGEST_NUMBER:
            raise Http404
        callback = get_object_or_404(selectors.client_callbacks(request.auth), pk=number)
        return Response(serializers.CallbackStatus(selectors.callback_status(callback)).data)


class ComplaintCreateView(APIView):
    required_scope = scopes.COMPLAINTS_WRITE
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="complaint_create",
        summary="Register a complaint, with photos of its pages (multipart files or base64)",
        request={
            "application/json": serializers.ComplaintCreate,
            "multipart/form-data": serializers.ComplaintCreate,
        },
        examples=[COMPLAINT_EXAMPLE],
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: serializers.ComplaintStatus, **problems(415, 422)},
        tags=["complaints"],
    )
    def post(self, request):
        data = _checked(serializers.ComplaintCreate, request, request.data)
        uploads = [*data["photos"], *data["photos_base64"]]
        try:
            pages = photos.prepare_photos(uploads) if uploads else []
        except ValidationError as error:
            raise ValidationError({"photos": error.error_list}) from error

        def create():
            complaint = complaint_register(
                branch=data["branch"],
                channel=data["channel"],
                category=data["category"],
                received_at=data["received_at"],
                summary=data["summary"],
                registered_by=request.user,
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                pages=pages,
            )
            body = serializers.ComplaintStatus(selectors.complaint_status(complaint)).data
            return Response(body, status=status.HTTP_201_CREATED)

        return run_once(request, create)


class ComplaintDetailView(APIView):
    required_scope = scopes.CASES_READ

    @extend_schema(
        operation_id="complaint_status",
        summary="A complaint's status and due moments, by its register number",
        responses={200: serializers.ComplaintStatus, **problems(404)},
        tags=["complaints"],
    )
    def get(self, request, register_number: str):
        complaint = get_object_or_404(
            selectors.client_complaints(request.auth), register_number=register_number.upper()
        )
        return Response(serializers.ComplaintStatus(selectors.complaint_status(complaint)).data)


class EscalationCreateView(APIView):
    required_scope = scopes.ESCALATIONS_WRITE
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="escalation_create",
        summary="Record an escalation (the level calls the customer back)",
        request=serializers.EscalationCreate,
        examples=[ESCALATION_EXAMPLE],
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: serializers.EscalationStatus, **problems(415, 422)},
        tags=["escalations"],
    )
    def post(self, request):
        data = _checked(serializers.EscalationCreate, request, request.data)
        kind, branch = data["kind"], data["branch"]
        about_operator = None
        if kind.names_an_operator:
            # Whether the one named may be complained about is the service's rule (an operator of the branch);
            # here only the name is resolved.
            about_operator = (
                get_user_model().objects.active().filter(username=data["about_operator"]).first()
                if data["about_operator"]
                else None
            )
            if about_operator is None:
                raise ValidationError(
                    {
                        "about_operator": _("Give the username of an operator of branch %(branch)s.")
                        % {"branch": branch.code}
                    }
                )

        def create():
            escalation = escalation_open(
                branch=branch,
                kind=kind,
                customer_wants=data["customer_wants"],
                opened_by=request.user,
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                about_operator=about_operator,
            )
            body = serializers.EscalationStatus(selectors.escalation_status(escalation)).data
            return Response(body, status=status.HTTP_201_CREATED)

        return run_once(request, create)


class EscalationDetailView(APIView):
    required_scope = scopes.CASES_READ

    @extend_schema(
        operation_id="escalation_status",
        summary="An escalation's status, level and due moment",
        responses={200: serializers.EscalationStatus, **problems(404)},
        tags=["escalations"],
    )
    def get(self, request, number: int):
        if number > LARGEST_NUMBER:
            raise Http404
        escalation = get_object_or_404(selectors.client_escalations(request.auth), pk=number)
        return Response(serializers.EscalationStatus(selectors.escalation_status(escalation)).data)


class OpenCasesView(APIView):
    required_scope = scopes.CASES_READ

    @extend_schema(
        operation_id="customer_open_cases",
        summary="A customer's open cases, by phone",
        parameters=[serializers.OpenCasesQuery],
        responses={200: serializers.OpenCases, **problems()},
        tags=["customers"],
    )
    def get(self, request):
        query = _checked(serializers.OpenCasesQuery, request, request.query_params)
        branches = [query["branch"]] if query.get("branch") else list(request.auth.branches.filter(is_active=True))
        try:
            cases = selectors.open_cases_by_phone(client=request.auth, phone=query["phone"], branches=branches)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
        return Response(serializers.OpenCases({"phone": query["phone"], "cases": cases}).data)


SUBSCRIPTION_EXAMPLE = OpenApiExample(
    "From the CRM",
    request_only=True,
    value={"target_url": "https://crm.example.com/hooks/contactcenter", "events": ["case.created", "case.closed"]},
)


def _subscription(subscription) -> dict:
    return {
        "id": subscription.pk,
        "target_url": subscription.target_url,
        "events": subscription.events,
        "created_at": subscription.created_at,
    }


class SubscriptionListView(APIView):
    required_scope = scopes.EVENTS_SUBSCRIBE
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="subscription_list",
        summary="The client's webhook subscriptions",
        responses={200: serializers.Subscription(many=True), **problems()},
        tags=["webhooks"],
    )
    def get(self, request):
        rows = selectors.client_subscriptions(request.auth).order_by("pk")
        return Response(serializers.Subscription([_subscription(row) for row in rows], many=True).data)

    @extend_schema(
        operation_id="subscription_create",
        summary="Subscribe to events: they are POSTed, signed, to the URL (the secret is shown only in this answer)",
        request=serializers.SubscriptionCreate,
        examples=[SUBSCRIPTION_EXAMPLE],
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: serializers.SubscriptionCreated, **problems(415, 422)},
        tags=["webhooks"],
    )
    def post(self, request):
        data = _checked(serializers.SubscriptionCreate, request, request.data)

        def create():
            subscription = subscription_create(
                client=request.auth, target_url=data["target_url"], events=data["events"], by=request.user
            )
            body = serializers.SubscriptionCreated({**_subscription(subscription), "secret": subscription.secret}).data
            return Response(body, status=status.HTTP_201_CREATED)

        return run_once(request, create)


class SubscriptionDetailView(APIView):
    required_scope = scopes.EVENTS_SUBSCRIBE

    def _own(self, request, subscription_id: int):
        if subscription_id > LARGEST_NUMBER:
            raise Http404
        return get_object_or_404(selectors.client_subscriptions(request.auth), pk=subscription_id)

    @extend_schema(
        operation_id="subscription_detail",
        summary="One of the client's webhook subscriptions",
        responses={200: serializers.Subscription, **problems(404)},
        tags=["webhooks"],
    )
    def get(self, request, subscription_id: int):
        return Response(serializers.Subscription(_subscription(self._own(request, subscription_id))).data)

    @extend_schema(
        operation_id="subscription_delete",
        summary="Stop a subscription: no more events are written for it, those waiting are given up",
        responses={204: None, **problems(404)},
        tags=["webhooks"],
    )
    def delete(self, request, subscription_id: int):
        subscription_delete(subscription=self._own(request, subscription_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotFoundView(APIView):
    """Any other address under /api/v1/: a 404 in problem details, whatever the method."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise Http404
