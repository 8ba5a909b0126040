"""The register: scoped to the user's branches, filtered, searched, sorted, paged, exported, printed."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint, Status
from tests.downloads import refused, streamed_csv
from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 30)  # when the page tests run (views/conftest.py)


def numbers(response):
    return [complaint.register_number for complaint in response.context["page"]]


def test_the_list_is_scoped_filtered_searched_and_sorted(client, several, operator, deputy):
    client.force_login(operator)
    url = reverse("complaints:list")
    assert numbers(client.get(url)) == ["MSK-2026-00003", "MSK-2026-00002", "MSK-2026-00001"], "newest first"
    assert numbers(client.get(url, {"q": "00002"})) == ["MSK-2026-00002"]
    assert numbers(client.get(url, {"q": "8 916 000-00-03"})) == ["MSK-2026-00003"]
    assert numbers(client.get(url, {"q": "boris"})) == ["MSK-2026-00002"]
    assert numbers(client.get(url, {"channel": "phone"})) == ["MSK-2026-00003", "MSK-2026-00001"]
    assert numbers(client.get(url, {"received_after": "2026-11-10", "received_before": "2026-11-20"})) == [
        "MSK-2026-00002"
    ]
    assert numbers(client.get(url, {"ordering": "number"})) == ["MSK-2026-00001", "MSK-2026-00002", "MSK-2026-00003"]
    assert numbers(client.get(url, {"ordering": "-answer_due"})) == [
        "MSK-2026-00003",
        "MSK-2026-00002",
        "MSK-2026-00001",
    ]
    Complaint.objects.filter(pk=several["first"].pk).update(status=Status.CLOSED)
    assert numbers(client.get(url, {"status": "registered"})) == ["MSK-2026-00003", "MSK-2026-00002"]
    assert numbers(client.get(url, {"status": "open"})) == ["MSK-2026-00003", "MSK-2026-00002"]
    assert numbers(client.get(url, {"status": "closed"})) == ["MSK-2026-00001"]
    bad = client.get(url, {"status": "lost", "received_after": "yesterday"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    client.force_login(deputy)
    assert "BUD-2026-00001" in numbers(client.get(url))


def test_overdue_and_assigned_filters(client, several, staff):
    from contactcenter.deadlines.scan import scan_deadlines

    scan_deadlines(now=NOW)
    manager = staff["manager"]
    Complaint.objects.filter(pk=several["third"].pk).update(status=Status.IN_REVIEW, assigned_to=manager)
    client.force_login(manager)
    url = reverse("complaints:list")
    assert numbers(client.get(url, {"overdue": "on"})) == ["MSK-2026-00002", "MSK-2026-00001"]
    assert numbers(client.get(url, {"assigned_to": manager.pk})) == ["MSK-2026-00003"]


def test_the_list_pages(client, several, operator, settings):
    settings.PAGE_SIZE = 2
    client.force_login(operator)
    first = client.get(reverse("complaints:list"))
    assert numbers(first) == ["MSK-2026-00003", "MSK-2026-00002"] and "Page 1 of 2" in first.content.decode()
    assert numbers(client.get(reverse("complaints:list"), {"page": 2})) == ["MSK-2026-00001"]


def test_the_list_costs_the_same_queries_for_few_or_many_rows(
    client, register, operator, staff, photo, django_assert_max_num_queries
):
    for n in range(3):
        register(at(2026, 11, 23, 9, n), now=NOW, phone=f"+7916000001{n}", name=f"Customer {n}")
    client.force_login(operator)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("complaints:list"))
    for n in range(22):
        register(at(2026, 11, 23, 8, n), now=NOW, pages=[], channel="phone", phone=f"+791600002{n:02d}", name="X")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("complaints:list"))
    assert len(response.context["page"]) == 25


def test_the_csv_export_has_the_same_filters_and_is_safe_for_spreadsheets(client, several, operator):
    Complaint.objects.filter(pk=several["second"].pk).update(summary='=HYPERLINK("http://evil")')
    client.force_login(operator)
    response = client.get(reverse("complaints:export"), {"channel": "email"})
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    rows, _ = streamed_csv(client, reverse("complaints:export"), {"channel": "email"})
    assert rows[0] == [
        "Register number", "Branch", "Received", "Channel", "Category", "Customer", "Phone", "Summary", "Status",
        "In review by", "Answer due", "Legal term due", "Answered", "Overdue",
    ]  # fmt: skip
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "MSK-2026-00002" and row[2] == "16.11.2026 10:00", "the branch's local time"
    assert row[3:5] == ["e-mail", "quality of service"]
    assert row[5] == "Boris" and row[6] == "+79160000002"
    assert row[7] == '\'=HYPERLINK("http://evil")', "a formula is written as text"
    assert row[10] == "30.11.2026 18:00", "the answer due"
    assert row[11:] == ["", "", "no"], "no legal term, not answered, not overdue"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received_after": "yesterday"}, "Enter a valid date."),
        ({"channel": "pigeon"}, "Channel: Select a valid choice. pigeon is not one of the available choices."),
        ({"branch": "999999"}, "Branch: Select a valid choice."),
    ],
)
def test_a_wrong_filter_refuses_the_export(client, several, operator, params, message):
    client.force_login(operator)
    response = client.get(reverse("complaints:export"), params)
    assert message in refused(response)
    assert "Anna" not in response.content.decode()


def test_the_export_costs_the_same_queries_for_few_or_many_rows(client, register, operator, staff):
    register(at(2026, 11, 23, 9, 0), now=NOW, pages=[], channel="phone", phone="+79160000010", name="First")
    client.force_login(operator)
    few_rows, few = streamed_csv(client, reverse("complaints:export"))
    for n in range(20):
        register(at(2026, 11, 23, 8, n), now=NOW, pages=[], channel="phone", phone=f"+791600002{n:02d}", name="X")
    many_rows, many = streamed_csv(client, reverse("complaints:export"))
    assert (len(few_rows), len(many_rows)) == (2, 22)
    assert many == few


def test_the_printable_register_of_a_branch_for_a_period(client, several, operator, bud):
    client.force_login(operator)
    url = reverse("complaints:branch-register")
    response = client.get(url, {"branch": several["first"].branch_id, "start": "2026-11-01", "end": "2026-11-20"})
    assert [c.register_number for c in response.context["complaints"]] == ["MSK-2026-00001", "MSK-2026-00002"]
    page = response.content.decode()
    assert "Complaint register of MSK · Moscow, 01.11.2026 – 20.11.2026" in page and "css/print.css" in page
    other = client.get(url, {"branch": bud.pk, "start": "2026-11-01", "end": "2026-11-30"})
    assert other.context["complaints"] is None and "Select a valid choice" in other.content.decode()
    backwards = client.get(url, {"branch": several["first"].branch_id, "start": "2026-11-20", "end": "2026-11-01"})
    assert "The first day must not come after the last one." in backwards.content.decode()


def test_the_navigation_has_the_register(client, operator):
    client.force_login(operator)
    assert reverse("complaints:list") in client.get(reverse("home")).content.decode()


def test_the_printable_register_opens_on_the_branch_s_own_month(client, operator, msk):
    """At 21:30 UTC on 30 November it is already 1 December in Moscow: the month so far is December's."""
    with time_machine.travel(datetime(2026, 11, 30, 21, 30, tzinfo=UTC), tick=False):
        client.force_login(operator)
        response = client.get(reverse("complaints:branch-register"))
    assert response.context["form"].initial == {"start": date(2026, 12, 1), "end": date(2026, 12, 1), "branch": msk.pk}
