import pytest
from django.urls import reverse

from contactcenter.audit.models import AuditEntry
from contactcenter.directory.models import Customer
from tests.factories import CustomerFactory


def test_every_page_but_login_needs_a_login(client, msk):
    for url in [reverse("home"), reverse("directory:customer-list"), reverse("directory:branch-list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200


def test_home_shows_the_users_branches_and_sections(client, msk, bud, operator):
    client.force_login(operator)
    page = client.get(reverse("home")).content.decode()
    assert "Moscow" in page
    assert "Budapest" not in page
    assert reverse("directory:customer-list") in page
    assert reverse("admin:index") not in page


def test_customer_list_is_scoped_searchable_and_paginated(client, msk, bud, operator, settings):
    settings.PAGE_SIZE = 5
    for n in range(7):
        CustomerFactory(branch=msk, full_name=f"Moscow customer {n}")
    CustomerFactory(branch=bud, full_name="Budapest customer", phone="+36301234567")
    client.force_login(operator)

    first = client.get(reverse("directory:customer-list"), {"ordering": "name"})
    assert list(first.context["page"]) == list(Customer.objects.filter(branch=msk).order_by("full_name")[:5])
    assert "Page 1 of 2" in first.content.decode()
    assert "Budapest customer" not in first.content.decode()

    found = client.get(reverse("directory:customer-list"), {"q": "customer 3"})
    assert [c.full_name for c in found.context["page"]] == ["Moscow customer 3"]


def test_customer_list_costs_the_same_queries_for_5_or_50_rows(client, msk, operator, django_assert_max_num_queries):
    client.force_login(operator)
    CustomerFactory.create_batch(5, branch=msk)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("directory:customer-list"))
    CustomerFactory.create_batch(45, branch=msk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("directory:customer-list"))


def test_a_customer_of_another_branch_is_not_found(client, bud, operator):
    theirs = CustomerFactory(branch=bud, phone="+36301234567")
    client.force_login(operator)
    assert client.get(reverse("directory:customer-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("directory:customer-update", args=[theirs.pk])).status_code == 404


def test_register_a_customer(client, msk, operator):
    client.force_login(operator)
    response = client.post(
        reverse("directory:customer-create"),
        {"branch": msk.pk, "full_name": "Ivan Ivanov", "phone": "8 916 123 45 67", "email": "", "notes": ""},
    )
    customer = Customer.objects.get()
    assert response.status_code == 302 and response.url == customer.get_absolute_url()
    assert customer.phone == "+79161234567"
    detail = client.get(customer.get_absolute_url()).content.decode()
    assert "+7 916 123-45-67" in detail and "registered the customer" in detail and "customer.created" not in detail


@pytest.mark.parametrize(
    "data, field",
    [
        ({"full_name": "X", "phone": "12345"}, "phone"),
        ({"full_name": "", "phone": "89161234567"}, "full_name"),
        ({"full_name": "X", "phone": "89161234567", "email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, msk, operator, data, field):
    client.force_login(operator)
    response = client.post(reverse("directory:customer-create"), {"branch": msk.pk, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Customer.objects.exists()


def test_a_customer_cannot_be_registered_in_another_branch(client, bud, operator):
    client.force_login(operator)
    response = client.post(
        reverse("directory:customer-create"), {"branch": bud.pk, "full_name": "X", "phone": "+36301234567"}
    )
    assert "branch" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_duplicate_phone_is_explained(client, msk, operator):
    CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")
    client.force_login(operator)
    response = client.post(
        reverse("directory:customer-create"), {"branch": msk.pk, "full_name": "Other", "phone": "89161234567"}
    )
    assert "already registered in this branch" in response.content.decode()
    assert Customer.objects.count() == 1


def test_edit_a_customer_is_audited(client, msk, operator):
    customer = CustomerFactory(branch=msk, full_name="Ivan", phone="+79161234567")
    client.force_login(operator)
    client.post(
        reverse("directory:customer-update", args=[customer.pk]),
        {"full_name": "Ivan Petrovich", "phone": "+79161234567", "notes": "VIP"},
    )
    customer.refresh_from_db()
    assert (customer.full_name, customer.notes) == ("Ivan Petrovich", "VIP")
    assert AuditEntry.objects.for_target(customer).get().changes["full_name"] == ["Ivan", "Ivan Petrovich"]


def test_who_may_only_look_cannot_register_or_edit(client, msk, onlooker):
    customer = CustomerFactory(branch=msk)
    client.force_login(onlooker)
    assert client.get(reverse("directory:customer-detail", args=[customer.pk])).status_code == 200
    assert client.get(reverse("directory:customer-create")).status_code == 403
    response = client.post(reverse("directory:customer-update", args=[customer.pk]), {"full_name": "Hacked"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.full_name != "Hacked"


def test_branch_pages(client, msk, bud, operator):
    client.force_login(operator)
    assert [b.code for b in client.get(reverse("directory:branch-list")).context["branches"]] == ["MSK"]
    assert client.get(reverse("directory:branch-detail", args=["MSK"])).status_code == 200
    assert client.get(reverse("directory:branch-detail", args=["BUD"])).status_code == 404
    assert client.get(reverse("directory:branch-detail", args=["NOPE"])).status_code == 404


def test_language_switch_translates_the_page_and_remembers_the_choice(client, msk, operator):
    client.force_login(operator)
    client.post(reverse("switch-language"), {"language": "ru", "next": "/"})
    operator.refresh_from_db()
    assert operator.language == "ru"
    page = client.get(reverse("home")).content.decode()
    assert "Сменить пароль" in page


def test_an_unknown_language_changes_nothing(client, msk, operator):
    client.force_login(operator)
    client.post(reverse("switch-language"), {"language": "xx", "next": "/"})
    operator.refresh_from_db()
    assert operator.language == "en"


def test_after_login_the_pages_speak_the_profile_s_language_not_the_browser_s(client, msk):
    from tests.factories import UserFactory

    UserFactory(username="olga", password="a-long-pass-2026", role="Operator", branches=[msk], language="ru")
    login = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in login.content.decode(), "before login the browser's language is the default"

    response = client.post(
        reverse("login"), {"username": "olga", "password": "a-long-pass-2026"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    page = response.content.decode()
    assert 'lang="ru"' in page and "Сменить пароль" in page
    assert client.cookies["django_language"].value == "ru", "the login page after a logout keeps the language"
    assert 'lang="ru"' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
