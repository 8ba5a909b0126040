"""Every page that shows a customer's phone shows it as a ``tel:`` link, written for reading, never wrapped."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.factories import CallbackFactory, ComplaintFactory, CustomerFactory, EscalationFactory, UserFactory

LINK = '<a href="tel:+79161234567" class="text-nowrap">+7 916 123-45-67</a>'


def render(source, **context):
    return Template("{% load phones %}" + source).render(Context(context))


def test_the_tag_links_the_stored_number_and_formats_it_for_reading():
    assert render("{% phone_link phone %}", phone="+79161234567") == LINK


def test_the_tag_takes_extra_classes_and_keeps_the_number_whole():
    html = render('{% phone_link phone "btn btn-sm" %}', phone="+36301234567")
    assert html == '<a href="tel:+36301234567" class="text-nowrap btn btn-sm">+36 30 123 4567</a>'


def test_no_number_renders_nothing():
    assert render("[{% phone_link phone %}]", phone="") == "[]"


def test_the_number_is_escaped():
    assert "<script>" not in render("{% phone_link phone %}", phone="<script>")


@pytest.fixture
def customer(msk):
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.mark.parametrize("page", ["customer-list", "customer-detail"])
def test_customer_pages(client, supervisor, customer, page):
    client.force_login(supervisor)
    url = reverse(f"directory:{page}", args=[customer.pk] if page == "customer-detail" else [])
    assert LINK in client.get(url).content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_callback_pages(client, supervisor, msk, customer, page):
    callback = CallbackFactory(branch=msk, customer=customer)
    client.force_login(supervisor)
    url = reverse(f"callbacks:{page}", args=[callback.pk] if page == "detail" else [])
    assert LINK in client.get(url).content.decode()


def test_my_callbacks(client, operator, msk, customer):
    CallbackFactory(branch=msk, customer=customer, assigned_to=operator)
    client.force_login(operator)
    assert LINK in client.get(reverse("callbacks:mine")).content.decode()


@pytest.mark.parametrize("page", ["list", "detail", "branch-register"])
def test_complaint_pages(client, supervisor, msk, customer, page):
    complaint = ComplaintFactory(branch=msk, customer=customer)
    client.force_login(supervisor)
    url = reverse(f"complaints:{page}", args=[complaint.pk] if page == "detail" else [])
    day = complaint.received_on.isoformat()
    query = {"branch": msk.pk, "start": day, "end": day} if page == "branch-register" else {}
    response = client.get(url, query)
    assert LINK in response.content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_escalation_pages(client, supervisor, msk, customer, page):
    escalation = EscalationFactory(branch=msk, customer=customer)
    client.force_login(supervisor)
    url = reverse(f"escalations:{page}", args=[escalation.pk] if page == "detail" else [])
    assert 'href="tel:+79161234567"' in client.get(url).content.decode()


def test_search_results(client, supervisor, customer):
    CustomerFactory(branch=customer.branch, full_name="Ivan Petrov")
    client.force_login(supervisor)
    assert LINK in client.get(reverse("search"), {"q": "Ivan"}).content.decode()
