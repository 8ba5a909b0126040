"""The callback list as CSV: its columns, a wrong filter, streaming, and a cost that does not grow with rows."""

import pytest
from django.urls import reverse

from tests.downloads import refused, streamed_csv
from tests.factories import CustomerFactory, UserFactory

URL = reverse("callbacks:list")


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


def test_the_header_and_a_row_in_the_branch_s_time(client, register, msk, operator, supervisor, monday_morning):
    customer = CustomerFactory(branch=msk, full_name="=Olga", phone="+79165550000")
    callback = register(assigned_to=operator, customer=customer)
    client.force_login(supervisor)
    rows, _ = streamed_csv(client, URL, {"format": "csv"})
    assert rows[0] == [
        "Number", "Branch", "Customer", "Phone", "Reason", "Status", "Operator", "Next contact", "Registered"
    ]  # fmt: skip
    assert rows[1:] == [
        [
            str(callback.pk),
            "MSK",
            "'=Olga",
            "+79165550000",
            callback.reason.label,
            "open",
            str(operator),
            "23.11.2026 11:00",
            "23.11.2026 10:00",
        ]
    ], "times in Moscow (UTC+3), a name typed as a formula written as text"


def test_the_header_is_in_the_reader_s_language(client, register, supervisor, monday_morning):
    register()
    client.force_login(supervisor)
    client.post(reverse("switch-language"), {"language": "ru", "next": "/"})
    rows, _ = streamed_csv(client, URL, {"format": "csv"}, delimiter=";")
    assert rows[0][:3] == ["Номер", "Отделение", "Клиент"], "separated as Russian Excel expects"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"due_min": "yesterday"}, "Next contact due between: Enter a valid date."),
        ({"status": "lost"}, "Status: Select a valid choice. lost is not one of the available choices."),
        ({"branch": "999999"}, "Branch: Select a valid choice."),
    ],
)
def test_a_wrong_filter_refuses_the_download(client, register, supervisor, monday_morning, params, message):
    register()
    client.force_login(supervisor)
    response = client.get(URL, {"format": "csv", **params})
    assert message in refused(response)
    assert "Ivan Ivanov" not in response.content.decode()


def test_the_queries_do_not_grow_with_the_rows(client, register, msk, supervisor, monday_morning):
    client.force_login(supervisor)
    register()
    few_rows, few = streamed_csv(client, URL, {"format": "csv"})
    for number in range(20):
        register(customer=CustomerFactory(branch=msk, phone=f"+7916700{number:04d}"))
    many_rows, many = streamed_csv(client, URL, {"format": "csv"})
    assert (len(few_rows), len(many_rows)) == (2, 22)
    assert many == few
