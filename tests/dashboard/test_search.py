"""The header's search: by phone, name, register number and case number, scoped as every list, at a fixed cost."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import (
    CallbackFactory,
    ComplaintFactory,
    CustomerFactory,
    EscalationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def ivanov(msk):
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")


def _search(client, q):
    return client.get(reverse("search"), {"q": q})


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "spelling", ["8 (916) 123-45-67", "+7 916 1234567", "79161234567", "4567", "ivanov", "Ivan Iv"]
)
def test_a_customer_is_found_by_phone_in_any_spelling_its_last_digits_or_name(client, supervisor, ivanov, spelling):
    CustomerFactory(branch=ivanov.branch, full_name="Pavel Petrov", phone="+79169990000")
    client.force_login(supervisor)
    page = _page(_search(client, spelling))
    assert ivanov.get_absolute_url() in page
    assert "Pavel Petrov" not in page
    assert 'href="tel:+79161234567"' in page


def test_a_customer_search_lists_their_cases_grouped_by_kind(client, supervisor, ivanov):
    callback = CallbackFactory(branch=ivanov.branch, customer=ivanov)
    complaint = ComplaintFactory(branch=ivanov.branch, customer=ivanov, number=42)
    escalation = EscalationFactory(branch=ivanov.branch, customer=ivanov)
    other = CallbackFactory(branch=ivanov.branch)
    client.force_login(supervisor)
    response = _search(client, "8 916 123 45 67")
    page = _page(response)
    assert [group.key for group in response.context["results"].groups] == [
        "customers",
        "callbacks",
        "complaints",
        "escalations",
    ]
    for case in (callback, complaint, escalation):
        assert case.get_absolute_url() in page
    assert other.get_absolute_url() not in page
    assert "MSK-2026-00042" in page


@pytest.mark.parametrize("query", ["MSK-2026-00042", "msk-2026-42", "2026-42", "2026-00042"])
def test_a_register_number_opens_the_complaint(client, supervisor, msk, query):
    complaint = ComplaintFactory(branch=msk, number=42)
    ComplaintFactory(branch=msk, number=43)
    ComplaintFactory(branch=msk, number=42, year=2025)
    client.force_login(supervisor)
    response = _search(client, query)
    assert response.status_code == 302
    assert response.url == complaint.get_absolute_url()


def test_a_short_register_number_in_two_branches_lists_both(client, deputy, msk, bud):
    first, second = ComplaintFactory(branch=msk, number=42), ComplaintFactory(branch=bud, number=42)
    client.force_login(deputy)
    page = _page(_search(client, "2026-42"))
    assert first.get_absolute_url() in page and second.get_absolute_url() in page


@pytest.mark.parametrize("spelling", ["#{}", "# {}", "{}"])
def test_a_callback_number_opens_the_callback(client, supervisor, msk, spelling):
    callback = CallbackFactory(branch=msk)
    client.force_login(supervisor)
    response = _search(client, spelling.format(callback.pk))
    assert response.status_code == 302
    assert response.url == callback.get_absolute_url()


def test_an_escalation_number_opens_the_escalation(client, supervisor, msk):
    escalation = EscalationFactory(branch=msk)
    client.force_login(supervisor)
    response = _search(client, f"#{escalation.pk}")
    assert response.status_code == 302
    assert response.url == escalation.get_absolute_url()


def test_a_number_shared_by_a_callback_and_an_escalation_lists_both(client, supervisor, msk):
    callback = CallbackFactory(branch=msk)
    escalation = EscalationFactory(branch=msk, pk=callback.pk)
    client.force_login(supervisor)
    page = _page(_search(client, f"#{callback.pk}"))
    assert callback.get_absolute_url() in page and escalation.get_absolute_url() in page


def test_another_branch_finds_nothing_and_opens_nothing(client, stranger, ivanov):
    callback = CallbackFactory(branch=ivanov.branch, customer=ivanov)
    complaint = ComplaintFactory(branch=ivanov.branch, customer=ivanov, number=7)
    client.force_login(stranger)
    for query in ("+7 916 123-45-67", "Ivanov", f"#{callback.pk}", complaint.register_number, "2026-7"):
        response = _search(client, query)
        page = _page(response)
        assert response.context["results"].groups == []
        assert "Nothing found" in page


def test_an_operator_finds_only_the_escalations_they_opened(client, operator, msk, ivanov):
    mine = EscalationFactory(branch=msk, customer=ivanov, opened_by=operator)
    theirs = EscalationFactory(branch=msk, customer=ivanov)
    client.force_login(operator)
    page = _page(_search(client, "Ivanov"))
    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page
    assert _search(client, f"#{theirs.pk}").status_code == 200


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type a phone number, a name or a case number"),
        ("   ", "Type a phone number, a name or a case number"),
        ("x" * 101, "at most 100 characters"),
        ("<script>alert(1)</script>", "letters, digits, spaces"),
        ("100%", "letters, digits, spaces"),
        ("Iv", "at least 3 letters"),
    ],
)
def test_bad_input_gets_a_message(client, supervisor, query, message):
    client.force_login(supervisor)
    response = _search(client, query)
    page = _page(response)
    assert message in page.replace("&#x27;", "'")
    assert "results" not in response.context


@pytest.mark.parametrize("query", ["#9999999999", "#" + "9" * 40, "2026-9999999", "9" * 100])
def test_a_number_too_long_for_a_case_finds_nothing_without_failing(client, supervisor, query):
    client.force_login(supervisor)
    assert "Nothing found" in _page(_search(client, query))


def test_more_than_ten_finds_link_to_the_full_list(client, supervisor, msk):
    for n in range(12):
        CustomerFactory(branch=msk, full_name=f"Anna Smirnova {n}")
    client.force_login(supervisor)
    response = _search(client, "Smirnova")
    (customers,) = response.context["results"].groups
    assert len(customers.rows) == 10 and customers.more
    assert f"{reverse('directory:customer-list')}?q=Smirnova" in _page(response)


def test_every_page_has_the_search_box_in_its_header(client, supervisor):
    client.force_login(supervisor)
    for url in (reverse("home"), reverse("callbacks:list"), reverse("directory:customer-list")):
        assert 'data-testid="header-search"' in _page(client.get(url))


def test_the_search_needs_a_login(client):
    response = _search(client, "Ivanov")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _fill(msk, bud, n):
    for i in range(n):
        for branch in (msk, bud):
            customer = CustomerFactory(branch=branch, full_name=f"Olga Smirnova {i}")
            CallbackFactory(branch=branch, customer=customer)
            ComplaintFactory(branch=branch, customer=customer)
            EscalationFactory(branch=branch, customer=customer)


@pytest.mark.parametrize("query", ["Smirnova", "8 916 000 00 01", "#1", "2026-1"])
def test_the_search_costs_the_same_queries_for_few_or_many_rows(
    client, supervisor, msk, bud, query, django_assert_max_num_queries
):
    _fill(msk, bud, 2)
    client.force_login(supervisor)
    with django_assert_max_num_queries(14) as few:
        _search(client, query)
    _fill(msk, bud, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _search(client, query)


@pytest.mark.postgres
def test_postgresql_reads_names_and_last_digits_through_their_indexes(supervisor, msk):
    """The migrations' indexes match what the search writes: the name's words (full-text, ``simple``) and the
    phone's trigrams for its ``contains``."""
    from contactcenter.directory.models import Customer

    CustomerFactory.create_batch(50, branch=msk)
    for query, index in (("Smirnov", "customer_name_words_idx"), ("4567", "customer_phone_trgm_idx")):
        queryset = Customer.objects.search(query, ["RU"])
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan, plan


def test_past_200_customers_every_case_group_links_to_its_full_list(client, supervisor, msk):
    from dashboard.search import CUSTOMERS_FOR_CASES

    customers = CustomerFactory.create_batch(CUSTOMERS_FOR_CASES + 1, branch=msk, full_name="Anna Smirnova")
    CallbackFactory(branch=msk, customer=customers[0])
    client.force_login(supervisor)
    response = _search(client, "Smirnova")
    groups = {group.key: group for group in response.context["results"].groups}
    assert set(groups) == {"customers", "callbacks"}
    assert groups["callbacks"].more and groups["callbacks"].list_url == f"{reverse('callbacks:list')}?q=Smirnova"
