import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from callbacks import services
from callbacks.models import Callback, ContactAttempt
from tests.downloads import csv_rows
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


def test_register_a_callback_for_a_new_customer_from_the_phone_form(client, msk, operator, reason, monday_morning):
    client.force_login(operator)
    response = client.post(
        reverse("callbacks:create"),
        {
            "branch": msk.pk,
            "customer_phone": "8 (903) 111-22-33",
            "customer_name": "Maria Kuznetsova",
            "reason": reason.pk,
            "customer_said": "Transfer did not arrive",
            "channel": "phone",
            "priority": "0",
            "window_start": "2026-11-23T14:00",
            "window_end": "2026-11-23T15:00",
        },
    )
    callback = Callback.objects.get()
    assert response.status_code == 302 and response.url == callback.get_absolute_url()
    assert callback.customer.phone == "+79031112233"
    assert callback.window_start == moscow(2026, 11, 23, 14, 0), "typed in the branch's local time"


def test_a_bad_form_explains_and_stores_nothing(client, msk, operator, reason, monday_morning):
    client.force_login(operator)
    response = client.post(
        reverse("callbacks:create"),
        {
            "branch": msk.pk,
            "customer_phone": "12",
            "reason": reason.pk,
            "customer_said": "x",
            "channel": "phone",
            "priority": "0",
        },
    )
    assert "customer_phone" in response.context["form"].errors
    response = client.post(
        reverse("callbacks:create"),
        {
            "branch": msk.pk,
            "customer_phone": "+79031112233",
            "customer_name": "M",
            "reason": reason.pk,
            "customer_said": "x",
            "channel": "phone",
            "priority": "0",
            "window_start": "2026-11-23T21:00",
        },
    )
    assert "is outside the branch" in response.content.decode()
    assert not Callback.objects.exists()
    assert not type(msk).objects.get(pk=msk.pk).customers.exists(), "the new customer is rolled back too"


@pytest.mark.parametrize(
    "window_start, message",
    [
        ("0001-01-01T10:00", "Choose days from 01.01.2000 to 31.12.2099."),
        ("2030-01-02T10:00", "Choose a moment at most 366 days ahead, until 24.11.2027."),
    ],
    ids=["year-1", "over-a-year-ahead"],
)
def test_a_customer_time_out_of_bounds_is_explained(
    client, msk, operator, reason, monday_morning, window_start, message
):
    client.force_login(operator)
    response = client.post(
        reverse("callbacks:create"),
        {
            "branch": msk.pk,
            "customer_phone": "+79031112233",
            "customer_name": "M",
            "reason": reason.pk,
            "customer_said": "x",
            "channel": "phone",
            "priority": "0",
            "window_start": window_start,
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Callback.objects.exists()


@pytest.mark.parametrize(
    "next_contact_at, message",
    [
        ("9999-01-01T10:00", "Choose days from 01.01.2000 to 31.12.2099."),
        ("2028-01-10T10:00", "Choose a moment at most 366 days ahead, until 24.11.2027."),
    ],
    ids=["year-9999", "over-a-year-ahead"],
)
def test_a_next_contact_out_of_bounds_is_explained(
    client, register, operator, monday_morning, next_contact_at, message
):
    callback = register(assigned_to=operator)
    client.force_login(operator)
    response = client.post(
        reverse("callbacks:attempt", args=[callback.pk]), {"outcome": "call_later", "next_contact_at": next_contact_at}
    )
    assert message in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_log_attempts_from_the_detail_page(client, register, operator, monday_morning):
    callback = register(assigned_to=operator)
    client.force_login(operator)
    url = reverse("callbacks:attempt", args=[callback.pk])
    response = client.post(url, {"outcome": "call_later", "next_contact_at": "2026-11-23T09:00"})
    assert "The next contact must lie in the future" in response.content.decode()
    client.post(url, {"outcome": "call_later", "next_contact_at": "2026-11-24T16:30"})
    callback.refresh_from_db()
    assert callback.next_contact_at == moscow(2026, 11, 24, 16, 30)
    page = client.get(callback.get_absolute_url()).content.decode()
    assert "asked to call later" in page and "24.11.2026 16:30" in page


def test_take_next_button(client, register, operator, monday_morning):
    callback = register()
    client.force_login(operator)
    response = client.post(reverse("callbacks:take-next"))
    assert response.url == callback.get_absolute_url()
    assert "Ivan Ivanov" in client.get(reverse("callbacks:mine")).content.decode()
    response = client.post(reverse("callbacks:take-next"), follow=True)
    assert "The queue is empty" in response.content.decode()


def test_supervisor_list_filters_search_export_and_bulk_reassign(
    client, register, msk, operator, supervisor, monday_morning
):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    mine = register(assigned_to=operator)
    other = register(customer=CustomerFactory(branch=msk, full_name="Olga Popova", phone="+79165550000"))
    services.attempt_log(callback=mine, by=operator, outcome="solved", resolution="Done")
    client.force_login(supervisor)
    url = reverse("callbacks:list")

    assert [c.pk for c in client.get(url, {"status": "open"}).context["page"]] == [other.pk]
    assert [c.pk for c in client.get(url, {"q": "8 916 555 00 00"}).context["page"]] == [other.pk]
    assert [c.pk for c in client.get(url, {"q": "Ivanov"}).context["page"]] == [mine.pk]

    exported = client.get(url, {"format": "csv", "status": "solved"})
    rows = csv_rows(exported)
    assert rows[0][0] == "Number" and [row[2] for row in rows[1:]] == ["Ivan Ivanov"]
    mine.customer.full_name = "=cmd|' /C calc'!A0"
    mine.customer.save()
    rows = csv_rows(client.get(url, {"format": "csv", "status": "solved"}))
    assert rows[1][2] == "'=cmd|' /C calc'!A0", "a name typed as a formula is written as text"

    client.post(reverse("callbacks:reassign"), {"callbacks": [other.pk], "to": colleague.pk})
    other.refresh_from_db()
    assert other.assigned_to == colleague


def test_operators_cannot_reassign_and_strangers_see_nothing(client, register, operator, stranger, monday_morning):
    callback = register()
    client.force_login(operator)
    assert (
        client.post(reverse("callbacks:reassign"), {"callbacks": [callback.pk], "to": operator.pk}).status_code == 403
    )
    client.force_login(stranger)
    assert client.get(callback.get_absolute_url()).status_code == 404
    assert not client.get(reverse("callbacks:list")).context["page"].object_list


def test_the_list_costs_the_same_queries_for_few_or_many(client, register, operator, supervisor, monday_morning):
    client.force_login(supervisor)
    for _ in range(3):
        register(assigned_to=operator)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("callbacks:list"))
    for _ in range(30):
        callback = register(assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("callbacks:list"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_customer_page_tells_the_whole_story(client, register, customer, operator, monday_morning):
    callback = register(assigned_to=operator)
    services.attempt_log(callback=callback, by=operator, outcome="no_answer", note="Straight to voicemail")
    client.force_login(operator)
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "My card was blocked after a trip abroad." in page
    assert "Straight to voicemail" in page


def callback_form(msk, reason, **fields):
    return {
        "branch": msk.pk,
        "customer_name": "",
        "reason": reason.pk,
        "customer_said": "Card blocked",
        "channel": "phone",
        "priority": "0",
        **fields,
    }


def test_the_form_finds_a_known_customer_by_another_spelling_of_the_phone(
    client, msk, operator, reason, customer, monday_morning
):
    client.force_login(operator)
    response = client.post(reverse("callbacks:create"), callback_form(msk, reason, customer_phone="8 916 123 45 67"))
    callback = Callback.objects.get()
    assert response.status_code == 302 and callback.customer == customer
    assert type(customer).objects.count() == 1


def test_an_invalid_phone_is_a_form_error_with_the_others_and_creates_nothing(
    client, msk, operator, reason, monday_morning
):
    client.force_login(operator)
    response = client.post(
        reverse("callbacks:create"), callback_form(msk, reason, customer_phone="12", customer_said="")
    )
    errors = response.context["form"].errors
    assert errors["customer_phone"] == ["“12” is not a valid phone number for RU."]
    assert "customer_said" in errors, "named together with the form's other errors"
    response = client.post(reverse("callbacks:create"), callback_form(msk, reason, customer_phone="8 903 111-22-33"))
    assert response.context["form"].errors["customer_name"] == [
        "No customer of this branch has this number yet: enter the customer's name."
    ]
    assert not Callback.objects.exists() and not type(msk).objects.get(pk=msk.pk).customers.exists()
