"""The customer's time zone (issue 15): suggested from the number where it tells one, and shown beside every time
the operator reads: "14:30 your time, 21:30 customer's time", only when the two clocks differ."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from callbacks import services as callbacks
from callbacks.models import CallbackReason
from contactcenter.directory.phones import time_zone_of_number
from contactcenter.directory.services import customer_create, customer_find_or_register
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow

VLADIVOSTOK_LANDLINE = "+74232123456"


@pytest.mark.parametrize(
    "number, zone",
    [
        (VLADIVOSTOK_LANDLINE, "Asia/Vladivostok"),
        ("+74951234567", "Europe/Moscow"),
        ("+79161234567", ""),  # a Russian mobile number spans the country
        ("+14155550100", "America/Los_Angeles"),
        ("not a number", ""),
    ],
)
def test_the_zone_a_number_tells(number, zone):
    assert time_zone_of_number(number) == zone


class TestSuggestedZone:
    def test_a_new_customer_gets_the_zone_their_landline_tells(self, msk, operator):
        customer, registered = customer_find_or_register(
            branch=msk, phone="8 (423) 212-34-56", full_name="Pyotr Dalny", by=operator
        )
        assert registered and customer.time_zone == "Asia/Vladivostok"

    @pytest.mark.parametrize("phone", ["+79161234567", "+74951234567"])
    def test_a_mobile_or_a_number_of_the_branchs_zone_leaves_the_branchs(self, msk, operator, phone):
        customer, _registered = customer_find_or_register(branch=msk, phone=phone, full_name="Ivan", by=operator)
        assert customer.time_zone == ""
        assert customer.tz == msk.tz

    def test_a_zone_chosen_on_the_record_wins(self, msk, operator):
        chosen = customer_create(
            branch=msk, full_name="Anna", phone=VLADIVOSTOK_LANDLINE, time_zone="Asia/Tokyo", created_by=operator
        )
        suggested = customer_create(branch=msk, full_name="Boris", phone="+74232123457", created_by=operator)
        assert (chosen.time_zone, suggested.time_zone) == ("Asia/Tokyo", "Asia/Vladivostok")


def render_time(moment, customer, branch, user=None):
    template = Template("{% load customer_time %}{% customer_time moment customer branch %}")
    return template.render(Context({"moment": moment, "customer": customer, "branch": branch, "user": user}))


class TestCustomerTime:
    def test_both_clocks_when_they_differ(self, msk, operator):
        far = CustomerFactory(branch=msk, time_zone="Asia/Vladivostok")
        assert render_time(moscow(2026, 11, 23, 14, 30), far, msk, operator) == (
            "23.11.2026 14:30 your time, 21:30 customer&#x27;s time"
        )
        # Their clock already shows the next day.
        assert render_time(moscow(2026, 11, 23, 19, 0), far, msk, operator) == (
            "23.11.2026 19:00 your time, 24.11.2026 02:00 customer&#x27;s time"
        )

    def test_one_clock_when_they_show_the_same_time(self, msk, operator):
        near = CustomerFactory(branch=msk)
        assert render_time(moscow(2026, 11, 23, 14, 30), near, msk, operator) == "23.11.2026 14:30"
        assert render_time(None, near, msk, operator) == ""

    def test_the_readers_zone_is_their_branchs(self, bud, msk):
        budapest_reader = UserFactory(username="bud_reader", role="Operator", branches=[bud])
        moscow_customer = CustomerFactory(branch=msk)
        moment = datetime(2026, 11, 23, 11, 30, tzinfo=ZoneInfo("UTC"))
        assert render_time(moment, moscow_customer, msk, budapest_reader) == (
            "23.11.2026 12:30 your time, 14:30 customer&#x27;s time"
        )

    def test_in_russian(self, msk, operator):
        far = CustomerFactory(branch=msk, time_zone="Asia/Vladivostok")
        with translation.override("ru"):
            text = render_time(moscow(2026, 11, 23, 14, 30), far, msk, operator)
        assert text == "23.11.2026 14:30 по вашему времени, 21:30 по времени клиента"


class TestOnThePages:
    @pytest.fixture
    def far_callback(self, msk, operator):
        far = CustomerFactory(
            branch=msk, full_name="Pyotr Dalny", phone=VLADIVOSTOK_LANDLINE, time_zone="Asia/Vladivostok"
        )
        with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):
            callback = callbacks.callback_register(
                branch=msk,
                customer=far,
                reason=CallbackReason.objects.get(code="asked_callback"),
                customer_said="Wants to know the status of his transfer.",
                created_by=operator,
                assigned_to=operator,
            )
        return callback

    @pytest.fixture
    def logged_in(self, client, operator):
        client.force_login(operator)
        with time_machine.travel(moscow(2026, 11, 23, 10, 5), tick=False):
            yield client

    def test_callback_pages_and_my_work(self, logged_in, far_callback):
        both = "23.11.2026 11:00 your time, 18:00 customer&#x27;s time"
        detail = logged_in.get(far_callback.get_absolute_url()).content.decode()
        assert both in detail
        for url in (reverse("callbacks:list"), reverse("callbacks:mine")):
            assert both in logged_in.get(url).content.decode(), url
        home = logged_in.get(reverse("home")).content.decode()
        assert f"Promised contact with the customer, due {both}" in home

    def test_the_customers_page(self, logged_in, far_callback):
        page = logged_in.get(far_callback.customer.get_absolute_url()).content.decode()
        assert "Asia/Vladivostok" in page
        assert "23.11.2026 10:05 your time, 17:05 customer&#x27;s time" in page, "what time it is there now"
        assert "23.11.2026 10:00 your time, 17:00 customer&#x27;s time" in page, "when the callback was registered"
