from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from contactcenter.directory.models import Branch, Customer
from tests.factories import BranchFactory, CustomerFactory, UserFactory


def test_a_user_sees_only_the_branches_they_work_in(msk, bud, operator):
    assert list(Branch.objects.for_user(operator)) == [msk]


def test_deputy_director_and_administrator_see_every_branch(msk, bud, deputy):
    admin_role = UserFactory(username="adm", role="Administrator")
    assert set(Branch.objects.for_user(deputy)) == {msk, bud}
    assert set(Branch.objects.for_user(admin_role)) == {msk, bud}


def test_a_user_with_no_branch_sees_nothing(msk):
    lost = UserFactory(username="lost", role="Operator")
    assert not Branch.objects.for_user(lost).exists()


def test_customers_are_scoped_by_the_same_rule(msk, bud, operator, stranger):
    mine = CustomerFactory(branch=msk)
    theirs = CustomerFactory(branch=bud, phone="+36301234567")
    assert list(Customer.objects.for_user(operator)) == [mine]
    assert list(Customer.objects.for_user(stranger)) == [theirs]


def test_anonymous_sees_nothing(msk):
    from django.contrib.auth.models import AnonymousUser

    CustomerFactory(branch=msk)
    assert not Customer.objects.for_user(AnonymousUser()).exists()


@pytest.mark.parametrize("query", ["+7 916 555-01-01", "89165550101", "0101", "Volk", "volkova"])
def test_customer_search_by_any_spelling_of_phone_or_by_name(msk, query):
    wanted = CustomerFactory(branch=msk, full_name="Natalia Volkova", phone="+79165550101")
    CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")
    assert list(Customer.objects.search(query, ["RU"])) == [wanted]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Smirn", {"Ivan Smirnov", "Smirnova Anna"}),
        ("smirnov", {"Ivan Smirnov", "Smirnova Anna"}),
        ("Smirnov Ivan", {"Ivan Smirnov"}),  # every word, in any order
        ("iv smir", {"Ivan Smirnov"}),
        ("Petrova", {"Olga Ivanova-Petrova"}),  # a word after a hyphen
        ("O'Brien", {"Sean O'Brien"}),
        ("Смир", {"Иван Смирнов"}),
        ("mirnov", set()),  # the middle of a word is not the beginning of one
        ("Smirnov Petr", set()),
    ],
)
def test_a_name_is_found_by_the_beginnings_of_its_words(msk, query, found):
    for n, name in enumerate(["Ivan Smirnov", "Smirnova Anna", "Olga Ivanova-Petrova", "Sean O'Brien", "Иван Смирнов"]):
        CustomerFactory(branch=msk, full_name=name, phone=f"+7916555020{n}")
    assert {customer.full_name for customer in Customer.objects.search(query, ["RU"])} == found


def test_customer_search_by_e_mail_in_any_case(msk):
    wanted = CustomerFactory(branch=msk, full_name="Natalia Volkova", email="n.volkova@example.com")
    CustomerFactory(branch=msk, full_name="Ivan Ivanov", email="ivanov@example.com")
    assert list(Customer.objects.search("N.Volkova@Example.com", ["RU"])) == [wanted]
    assert list(Customer.objects.search("example.com", ["RU"])) == []


@pytest.mark.parametrize(
    "field, value",
    [("time_zone", "Mars/Olympus"), ("country", "XX"), ("code", "msk"), ("subdivision", "ZZ")],
)
def test_branch_validation_names_the_bad_field(db, field, value):
    branch = BranchFactory.build(code="NEW", name="New", time_zone="Europe/Moscow", country="RU")
    setattr(branch, field, value)
    with pytest.raises(ValidationError) as error:
        branch.full_clean()
    assert field in error.value.message_dict


def test_roles_exist_with_their_permissions(db):
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "Operator",
        "Supervisor",
        "Head of department",
        "Branch manager",
        "Deputy director",
        "Security",
        "Administrator",
    } <= names
    operator = UserFactory(username="o", role="Operator")
    security = UserFactory(username="s", role="Security")
    assert operator.has_perm("directory.add_customer")
    assert security.has_perm("directory.view_customer")
    assert not security.has_perm("directory.add_customer")


@pytest.mark.django_db
def test_a_reader_reads_times_in_the_zone_their_branches_share_else_the_fallback_or_utc():
    moscow = BranchFactory(time_zone="Europe/Moscow")
    tver = BranchFactory(time_zone="Europe/Moscow")
    budapest = BranchFactory(time_zone="Europe/Budapest")
    one_zone = UserFactory(branches=[moscow, tver])
    two_zones = UserFactory(branches=[moscow, budapest])

    assert one_zone.reading_zone() == ZoneInfo("Europe/Moscow")
    assert one_zone.reading_zone(fallback=budapest.tz) == ZoneInfo("Europe/Moscow")
    assert two_zones.reading_zone() == ZoneInfo("UTC")
    assert two_zones.reading_zone(fallback=budapest.tz) == ZoneInfo("Europe/Budapest")
    assert Branch.objects.filter(pk__in=[moscow.pk, tver.pk]).shared_time_zone() == ZoneInfo("Europe/Moscow")
    assert Branch.objects.filter(pk__in=[moscow.pk, budapest.pk]).shared_time_zone() == ZoneInfo("UTC")
