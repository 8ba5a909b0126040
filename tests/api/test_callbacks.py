"""POST /api/v1/callbacks/ and GET /api/v1/callbacks/{number}/: through callbacks.services.callback_register."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from callbacks.models import Callback
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Customer
from tests.factories import BranchFactory, CallbackFactory, CallbackReasonFactory, CustomerFactory
from tests.moments import moscow

pytestmark = pytest.mark.django_db

URL = "/api/v1/callbacks/"


def body(**overrides):
    return {
        "branch": "MSK",
        "customer_phone": "8 (916) 123-45-67",
        "customer_name": "Ivan Ivanov",
        "reason": "asked_callback",
        "customer_said": "Please call me about my card.",
        "channel": "ivr",
        **overrides,
    }


def errors_of(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == response.status_code
    return {error["field"]: error["message"] for error in problem["errors"]}


class TestCreate:
    def test_registers_the_callback_with_its_customer_and_clock(self, api, monday_morning):
        response = api.post(URL, body(), format="json")
        assert response.status_code == 201, response.json()
        callback = Callback.objects.get()
        assert (callback.channel, callback.reason.code, callback.customer_said) == (
            "ivr",
            "asked_callback",
            "Please call me about my card.",
        )
        assert callback.customer.phone == "+79161234567" and callback.customer.full_name == "Ivan Ivanov"
        data = response.json()
        assert data["number"] == str(callback.pk)
        assert data["status"] == "open"
        assert data["due_at"] == callback.next_contact_at.isoformat()
        assert callback.next_contact_at == moscow(2026, 11, 23, 11, 0)
        assert data["clocks"] == [
            {"kind": "callback_contact", "state": "on_track", "due_at": callback.next_contact_at.isoformat()}
        ]

    def test_the_window_the_customer_chose_wins(self, api, monday_morning):
        start, end = moscow(2026, 11, 23, 14, 30), moscow(2026, 11, 23, 15, 0)
        response = api.post(
            URL, body(window_start=start.isoformat(), window_end=end.isoformat(), priority="high"), format="json"
        )
        assert response.status_code == 201, response.json()
        callback = Callback.objects.get()
        assert (callback.window_start, callback.window_end, callback.priority) == (start, end, 1)
        assert Deadline.objects.for_case(callback).open().get().due_at == end
        assert response.json()["window_start"] == "2026-11-23T11:30:00+00:00"
        assert response.json()["priority"] == "high"

    def test_a_known_customer_is_found_by_any_spelling(self, api, msk, monday_morning):
        known = CustomerFactory(branch=msk, full_name="Anna Petrova", phone="+79161234567")
        response = api.post(URL, body(customer_name=""), format="json")
        assert response.status_code == 201
        assert Callback.objects.get().customer == known
        assert Customer.objects.count() == 1

    @pytest.mark.parametrize("channel", ["ivr", "website", "mobile_app", "crm"])
    def test_every_channel_of_the_api(self, api, monday_morning, channel):
        assert api.post(URL, body(channel=channel), format="json").status_code == 201
        assert Callback.objects.get().get_channel_display()

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"channel": "phone"}, "channel"),
            ({"reason": "no_such_reason"}, "reason"),
            ({"customer_phone": "12"}, "customer_phone"),
            ({"customer_name": ""}, "customer_name"),
            ({"customer_said": ""}, "customer_said"),
            ({"branch": "BUD"}, "branch"),
            ({"window_start": "2026-11-23T14:30"}, "window_start"),
            ({"window_start": "yesterday"}, "window_start"),
            ({"window_start": "0001-01-01T00:00:00+05:00"}, "window_start"),
            ({"window_start": "2026-11-23T09:00:00+03:00"}, "window_start"),
            ({"window_start": "2026-11-23T20:00:00+03:00"}, "window_start"),
            ({"window_start": "2026-11-23T14:00:00+03:00", "window_end": "2026-11-23T13:00:00+03:00"}, "window_end"),
            ({"priority": "whenever"}, "priority"),
            ({"colour": "blue"}, "colour"),
        ],
    )
    def test_bad_input_is_400_with_the_field_and_creates_nothing(self, api, monday_morning, bud, overrides, field):
        response = api.post(URL, body(**overrides), format="json")
        assert response.status_code == 400
        assert field in errors_of(response)
        assert not Callback.objects.exists()
        assert not Customer.objects.exists()

    def test_outside_working_hours_needs_the_confirmation(self, api, monday_morning):
        evening = moscow(2026, 11, 23, 20, 0).isoformat()
        refused = api.post(URL, body(window_start=evening), format="json")
        assert "outside the branch's working hours" in errors_of(refused)["window_start"]
        confirmed = api.post(URL, body(window_start=evening, confirm_outside_hours=True), format="json")
        assert confirmed.status_code == 201

    def test_a_reason_no_longer_in_use_is_refused(self, api, monday_morning):
        CallbackReasonFactory(code="old_reason", is_active=False)
        assert "reason" in errors_of(api.post(URL, body(reason="old_reason"), format="json"))

    @pytest.mark.parametrize(
        "content, content_type, status",
        [
            ("{not json", "application/json", 400),
            ("[1, 2]", "application/json", 400),
            ('"text"', "application/json", 400),
            ("null", "application/json", 400),
            ("branch=MSK", "application/x-www-form-urlencoded", 415),
            ("<xml/>", "text/xml", 415),
        ],
    )
    def test_a_body_that_is_no_json_object_is_refused_as_problem_details(
        self, api, monday_morning, content, content_type, status
    ):
        response = api.generic("POST", URL, content, content_type=content_type)
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert not Callback.objects.exists()

    def test_wrong_types_are_refused(self, api, monday_morning):
        response = api.post(URL, body(customer_said=["a"], confirm_outside_hours="perhaps", branch=5), format="json")
        assert set(errors_of(response)) >= {"customer_said", "confirm_outside_hours", "branch"}

    def test_a_nul_character_is_refused(self, api, monday_morning):
        response = api.post(URL, body(customer_said="a\x00b"), format="json")
        assert response.status_code == 400
        assert not Callback.objects.exists()


class TestStatus:
    def test_reads_status_and_due_moment(self, api, monday_morning):
        number = api.post(URL, body(), format="json").json()["number"]
        response = api.get(f"{URL}{number}/")
        assert response.status_code == 200
        data = response.json()
        assert (data["number"], data["type"], data["status"], data["branch"]) == (number, "callback", "open", "MSK")
        assert data["due_at"] == Callback.objects.get().next_contact_at.isoformat()

    def test_a_callback_of_another_branch_is_404(self, api, monday_morning, bud):
        other = BranchFactory(code="EKB", time_zone="Asia/Yekaterinburg")
        customer = CustomerFactory(branch=other)
        callback = CallbackFactory(branch=other, customer=customer)
        response = api.get(f"{URL}{callback.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    def test_a_number_that_does_not_exist_is_404(self, api):
        assert api.get(f"{URL}999999/").status_code == 404

    def test_the_due_moment_moves_with_the_clock(self, api, monday_morning):
        number = api.post(URL, body(), format="json").json()["number"]
        monday_morning.shift(timedelta(minutes=50))
        call_command("scan_deadlines")
        assert api.get(f"{URL}{number}/").json()["clocks"][0]["state"] == "due_soon"


@pytest.mark.parametrize("field", ["reason", "branch", "channel", "customer_phone", "customer_name"])
def test_a_nul_in_any_field_is_refused_without_reaching_the_database(api, monday_morning, field):
    """PostgreSQL refuses a NUL in any text: a lookup by a code holding one would answer 500."""
    response = api.post(URL, body(**{field: "asked\x00callback"}), format="json")
    assert response.status_code == 400
    assert field in errors_of(response)
    assert not Callback.objects.exists()


# The most SQL statements one create-callback request may cost (docs/benchmarks.md, "The API"), counted as the
# test database sees them (every transaction is a savepoint of the test's own): the reference token four times,
# for what is kept in the process while the set-up is unchanged (``contactcenter.reference_cache``: the client with
# its account and branches; the reason; the callback's team and calendar; the clock's policy), the customer's
# lookup, a savepoint around the new customer's insert (its release too) and its audit entry, the callback, the
# clock (and the savepoint of its service, with its release), the callback's audit entry, the token again for the
# webhook subscriptions to "case created", the idempotency key with its response, and the savepoints of the
# case's transaction: 20 with an Idempotency-Key, 19 without, 18 for a known customer. Before the reference cache
# they were 22, 21 and 20 (the reason, the team, the weekly hours, the overrides and the policy read each time);
# before the API was profiled (issue 18), without the team and webhook lookups that came since, 28, 24 and 21.
# A change that needs more must say why here and in the docs.
CREATE_CALLBACK_MAX_QUERIES = 20


def warm_up(api) -> None:
    """The first requests read the set-up into the process (``reference_cache``) and note the client's use (once a
    minute): not the cost of a request."""
    for phone in ("+79160000000", "+79160000001"):
        assert api.post(URL, body(customer_phone=phone), format="json").status_code == 201


class TestCost:
    @pytest.mark.parametrize("key", [None, "one-key"], ids=["without a key", "with an Idempotency-Key"])
    def test_one_create_request_stays_under_its_ceiling_of_sql_statements(
        self, api, monday_morning, django_assert_max_num_queries, key
    ):
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        warm_up(api)
        with django_assert_max_num_queries(CREATE_CALLBACK_MAX_QUERIES):
            response = api.post(URL, body(), format="json", **headers)  # a new customer: the longest path
        assert response.status_code == 201, response.json()
        assert Callback.objects.count() == 3

    def test_a_known_customer_costs_no_more(self, api, msk, monday_morning, django_assert_max_num_queries):
        CustomerFactory(branch=msk, phone="+79161234567")
        warm_up(api)
        with django_assert_max_num_queries(CREATE_CALLBACK_MAX_QUERIES):
            assert api.post(URL, body(customer_name=""), format="json").status_code == 201
