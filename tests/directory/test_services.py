import pytest
from django.core.exceptions import ValidationError

from contactcenter.audit.models import AuditEntry
from contactcenter.directory import services
from contactcenter.directory.models import Customer
from tests.factories import CustomerFactory


def test_create_stores_e164_and_leaves_an_audit_entry(msk, operator):
    customer = services.customer_create(
        branch=msk, full_name="  Ivan Ivanov ", phone="8 (916) 123-45-67", created_by=operator
    )
    customer.refresh_from_db()
    assert customer.phone == "+79161234567"
    assert customer.full_name == "Ivan Ivanov"
    entry = AuditEntry.objects.for_target(customer).get()
    assert (entry.actor, entry.action, entry.branch) == (operator, "customer.created", msk)


def test_create_refuses_a_bad_phone_and_stores_nothing(msk, operator):
    with pytest.raises(ValidationError):
        services.customer_create(branch=msk, full_name="X", phone="12", created_by=operator)
    assert not Customer.objects.exists()
    assert not AuditEntry.objects.exists()


def test_create_refuses_a_number_already_known_in_the_branch(msk, operator):
    CustomerFactory(branch=msk, full_name="Ivan", phone="+79161234567")
    with pytest.raises(ValidationError) as error:
        services.customer_create(branch=msk, full_name="Other", phone="89161234567", created_by=operator)
    assert "Ivan" in error.value.message_dict["phone"][0]
    assert Customer.objects.count() == 1


def test_the_same_number_may_be_a_customer_of_two_branches(msk, bud, operator):
    services.customer_create(branch=msk, full_name="A", phone="+36301234567", created_by=operator)
    services.customer_create(branch=bud, full_name="A", phone="06301234567", created_by=operator)
    assert Customer.objects.filter(phone="+36301234567").count() == 2


def test_update_records_what_changed(msk, operator):
    customer = CustomerFactory(branch=msk, full_name="Ivan", phone="+79161234567", notes="")
    services.customer_update(customer=customer, by=operator, phone="8 916 765 43 21", notes="Prefers mornings")
    entry = AuditEntry.objects.for_target(customer).get()
    assert entry.changes == {"phone": ["+79161234567", "+79167654321"], "notes": ["", "Prefers mornings"]}


def test_update_with_no_change_writes_nothing(msk, operator):
    customer = CustomerFactory(branch=msk, full_name="Ivan", phone="+79161234567")
    services.customer_update(customer=customer, by=operator, full_name="Ivan", phone="+7 916 123 45 67")
    assert not AuditEntry.objects.exists()


def test_update_refuses_fields_that_are_not_editable(msk, operator):
    customer = CustomerFactory(branch=msk)
    with pytest.raises(TypeError):
        services.customer_update(customer=customer, by=operator, branch=msk)


def test_find_or_register_finds_a_known_customer_by_another_spelling_of_the_phone(msk, operator):
    known = CustomerFactory(branch=msk, full_name="Ivan", phone="+79161234567")
    for spelling in ("8 (916) 123-45-67", "+7 916 123 45 67", "9161234567"):
        found, registered = services.customer_find_or_register(
            branch=msk, phone=spelling, full_name="Somebody else", by=operator
        )
        assert (found, registered) == (known, False)
    assert Customer.objects.get().full_name == "Ivan", "finding a customer changes nothing about them"
    assert not AuditEntry.objects.exists()


def test_find_or_register_registers_an_unknown_number_with_its_audit_entry(msk, bud, operator):
    CustomerFactory(branch=bud, phone="+79161234567")
    customer, registered = services.customer_find_or_register(
        branch=msk, phone="8 916 123-45-67", full_name="  Maria Petrova ", by=operator
    )
    assert registered
    customer.refresh_from_db()
    assert (customer.branch, customer.phone, customer.full_name) == (msk, "+79161234567", "Maria Petrova")
    assert customer.created_by == operator
    entry = AuditEntry.objects.for_target(customer).get()
    assert (entry.actor, entry.action) == (operator, "customer.created")


@pytest.mark.parametrize(
    ("phone", "full_name", "field", "message"),
    [
        ("12", "Maria", "customer_phone", "“12” is not a valid phone number for RU."),
        ("not a number", "Maria", "customer_phone", "“not a number” is not a phone number."),
        ("", "Maria", "customer_phone", "Enter a phone number."),
        ("8 916 123-45-67", "  ", "customer_name", "No customer of this branch has this number yet"),
        ("8 916 123-45-67", "x" * 201, "customer_name", "at most 200 characters"),
    ],
    ids=["too-short", "not-a-number", "empty", "no-name", "name-too-long"],
)
def test_find_or_register_refuses_with_the_cases_field_and_stores_nothing(
    msk, operator, phone, full_name, field, message
):
    with pytest.raises(ValidationError) as refusal:
        services.customer_find_or_register(branch=msk, phone=phone, full_name=full_name, by=operator)
    assert list(refusal.value.message_dict) == [field]
    assert message in refusal.value.message_dict[field][0]
    assert not Customer.objects.exists() and not AuditEntry.objects.exists()


def test_customer_find_says_what_find_or_register_would_do_and_registers_nobody(msk, operator):
    known = CustomerFactory(branch=msk, phone="+79161234567")
    assert services.customer_find(branch=msk, phone="8 916 123-45-67") == known
    assert services.customer_find(branch=msk, phone="8 916 000-00-00", full_name="New") is None
    with pytest.raises(ValidationError) as refusal:
        services.customer_find(branch=msk, phone="8 916 000-00-00")
    assert "customer_name" in refusal.value.message_dict
    assert Customer.objects.count() == 1
