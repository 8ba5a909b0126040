"""The escalation list and the quality figures as CSV: columns, a wrong filter, streaming, a fixed cost."""

import pytest
from django.urls import reverse

from tests.downloads import refused, streamed_csv
from tests.escalations.conftest import kind
from tests.factories import CustomerFactory

LIST = reverse("escalations:list")
FIGURES = reverse("escalations:figures")


def test_the_list_s_header_and_a_row_in_the_branch_s_time(client, open_escalation, staff, msk, monday_morning):
    escalation = open_escalation(customer=CustomerFactory(branch=msk, full_name="@Olga", phone="+79165550000"))
    client.force_login(staff["supervisor"])
    rows, _ = streamed_csv(client, LIST, {"format": "csv"})
    assert rows[0] == [
        "Number", "Branch", "Opened", "Customer", "Phone", "Kind", "Level", "Status", "Call back by", "Opened by",
        "Outcome",
    ]  # fmt: skip
    assert rows[1:] == [
        [
            str(escalation.pk),
            "MSK",
            "23.11.2026 10:00",
            "'@Olga",
            "+79165550000",
            kind("demands_supervisor").label,
            "supervisor",
            "open, not acknowledged",
            "23.11.2026 12:00",
            str(staff["operator"]),
            "",
        ]
    ], "times in Moscow, two business hours to call back, a name typed as a formula written as text"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"opened_min": "yesterday"}, "Enter a valid date."),
        ({"level": "boss"}, "Level: Select a valid choice. boss is not one of the available choices."),
        ({"kind": "999999"}, "Kind: Select a valid choice."),
    ],
)
def test_a_wrong_filter_refuses_the_list_s_download(client, open_escalation, staff, monday_morning, params, message):
    open_escalation()
    client.force_login(staff["supervisor"])
    response = client.get(LIST, {"format": "csv", **params})
    assert message in refused(response)
    assert "Ivan Ivanov" not in response.content.decode()


def test_the_list_s_download_costs_the_same_queries_for_few_or_many(
    client, open_escalation, staff, msk, monday_morning
):
    client.force_login(staff["supervisor"])
    open_escalation()
    few_rows, few = streamed_csv(client, LIST, {"format": "csv"})
    for number in range(20):
        open_escalation("aggressive", customer=CustomerFactory(branch=msk, phone=f"+7916700{number:04d}"))
    many_rows, many = streamed_csv(client, LIST, {"format": "csv"})
    assert (len(few_rows), len(many_rows)) == (2, 22)
    assert many == few


def test_the_figures_header_and_a_row(client, open_escalation, staff, monday_morning):
    open_escalation()
    open_escalation("aggressive")
    client.force_login(staff["supervisor"])
    rows, _ = streamed_csv(client, FIGURES, {"date_from": "2026-11-01", "date_to": "2026-11-30", "format": "csv"})
    labels = rows[0][3:-4]
    assert rows[0][:3] == ["Operator", "Login", "Escalations opened"]
    assert rows[0][-4:] == [
        "Turned into complaints",
        "Complaints about the operator",
        "Customers' ratings",
        "Average rating",
    ]
    assert kind("aggressive").label in labels and kind("demands_supervisor").label in labels
    operator = next(row for row in rows[1:] if row[1] == "op")
    by_kind = dict(zip(labels, operator[3:-4], strict=True))
    assert operator[2] == "2" and by_kind[kind("aggressive").label] == "1"
    assert by_kind[kind("demands_supervisor").label] == "1" and operator[-4:] == ["0", "0", "0", ""]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "To: The end of the period must not come before"),
        ({"date_from": "yesterday", "date_to": "2026-11-01"}, "From: Enter a valid date."),
    ],
)
def test_a_wrong_period_refuses_the_figures_download(client, open_escalation, staff, monday_morning, params, message):
    open_escalation()
    client.force_login(staff["supervisor"])
    response = client.get(FIGURES, {**params, "format": "csv"})
    assert message in refused(response)
    assert "op," not in response.content.decode()
