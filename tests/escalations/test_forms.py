"""The escalation forms name active staff only: the operator complained about, whom a call is put through to."""

import pytest

from escalations.forms import EscalationForm, TransferForm
from tests.factories import UserFactory


@pytest.fixture
def gone(msk):
    """A supervisor and an operator of Moscow who have left."""
    return [
        UserFactory(username="gone_sup", role="Supervisor", branches=[msk], is_active=False),
        UserFactory(username="gone_op", role="Operator", branches=[msk], is_active=False),
    ]


def test_the_phone_form_offers_active_staff_only(operator, staff, gone):
    form = EscalationForm(user=operator)
    assert list(form.fields["about_operator"].queryset) == [operator]
    assert set(form.fields["transfer_to"].queryset) == {staff["supervisor"], staff["head"], staff["manager"]}


def test_a_transfer_is_recorded_to_active_staff_only(open_escalation, staff, gone):
    escalation = open_escalation()
    form = TransferForm(escalation=escalation)
    assert set(form.fields["to_user"].queryset) == {staff["supervisor"], staff["head"], staff["manager"]}
    bound = TransferForm({"to_user": gone[0].pk, "result": "unanswered"}, escalation=escalation)
    assert not bound.is_valid() and "to_user" in bound.errors
