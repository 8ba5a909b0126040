"""The customer list as CSV: its columns, the list's filters and scope, a wrong filter, a fixed cost."""

import time_machine
from django.urls import reverse

from tests.downloads import refused, streamed_csv
from tests.factories import CustomerFactory
from tests.moments import moscow

URL = reverse("directory:customer-list")


def test_the_header_and_a_row_with_the_list_s_filters_and_scope(client, msk, bud, operator):
    with time_machine.travel(moscow(2026, 11, 23, 23, 30), tick=False):
        CustomerFactory(branch=msk, full_name="+Anna", phone="+79160000001", email="anna@example.com")
    CustomerFactory(branch=msk, full_name="Boris", phone="+79160000002")
    CustomerFactory(branch=bud, full_name="Zsófia", phone="+36301234567")
    client.force_login(operator)
    rows, _ = streamed_csv(client, URL, {"format": "csv", "q": "Anna"})
    assert rows == [
        ["Branch", "Name", "Phone", "E-mail", "Preferred language", "Registered"],
        ["MSK", "'+Anna", "+79160000001", "anna@example.com", "", "23.11.2026 23:30"],
    ], "the Moscow evening, not UTC's; a name typed as a formula written as text"
    rows, _ = streamed_csv(client, URL, {"format": "csv"})
    assert sorted(row[1] for row in rows[1:]) == ["'+Anna", "Boris"], "another branch's customers stay out"


def test_a_wrong_filter_refuses_the_download(client, msk, bud, operator):
    CustomerFactory(branch=msk, full_name="Anna")
    client.force_login(operator)
    response = client.get(URL, {"format": "csv", "branch": bud.pk})
    assert "Branch: Select a valid choice." in refused(response)
    assert "Anna" not in response.content.decode()


def test_the_download_costs_the_same_queries_for_few_or_many(client, msk, operator):
    CustomerFactory(branch=msk)
    client.force_login(operator)
    few_rows, few = streamed_csv(client, URL, {"format": "csv"})
    for number in range(20):
        CustomerFactory(branch=msk, phone=f"+7916700{number:04d}")
    many_rows, many = streamed_csv(client, URL, {"format": "csv"})
    assert (len(few_rows), len(many_rows)) == (2, 22)
    assert many == few


def test_the_list_page_links_to_the_download_with_its_filters(client, msk, operator):
    client.force_login(operator)
    assert 'href="?q=Anna&amp;format=csv"' in client.get(URL, {"q": "Anna", "page": "2"}).content.decode()
