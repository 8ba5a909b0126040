"""The callback forms offer active operators of the user's branches only."""

import pytest

from callbacks.forms import CallbackForm, ReassignForm
from tests.factories import UserFactory


@pytest.fixture
def gone(msk):
    return UserFactory(username="gone", role="Operator", branches=[msk], is_active=False)


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


def test_a_new_callback_is_given_to_active_operators_of_the_branch_only(supervisor, operator, gone, stranger):
    choices = list(CallbackForm(user=supervisor).fields["assigned_to"].queryset)
    assert choices == [operator]


def test_reassigning_offers_and_accepts_active_operators_only(register, supervisor, operator, gone):
    callback = register()
    assert list(ReassignForm(user=supervisor).fields["to"].queryset) == [operator]
    form = ReassignForm({"callbacks": [callback.pk], "to": gone.pk}, user=supervisor)
    assert not form.is_valid() and "to" in form.errors
