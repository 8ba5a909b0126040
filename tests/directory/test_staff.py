"""Staff holding a role in a branch: one selector (``User.objects.holding``), active staff only."""

import pytest

from contactcenter.directory import roles
from contactcenter.directory.models import Branch, User
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def moscow_staff(msk, bud, operator, stranger):
    """Moscow's operator, a deactivated operator, a supervisor; Budapest's operator (the stranger)."""
    gone = UserFactory(username="gone", role=roles.OPERATOR, branches=[msk], is_active=False)
    supervisor = UserFactory(username="sup", role=roles.SUPERVISOR, branches=[msk, bud])
    return {"operator": operator, "gone": gone, "supervisor": supervisor, "stranger": stranger}


def names(users) -> set[str]:
    return {user.username for user in users}


def test_holding_a_role_in_a_branch_means_active_staff_of_that_branch_with_that_role(msk, bud, moscow_staff):
    assert names(User.objects.holding(roles.OPERATOR, branch=msk)) == {"op"}
    assert names(User.objects.holding(roles.OPERATOR, branch=msk.pk)) == {"op"}
    assert names(User.objects.holding(roles.OPERATOR, branch=[msk, bud])) == {"op", "stranger"}
    assert names(User.objects.holding(roles.OPERATOR, branch=Branch.objects.filter(code="BUD"))) == {"stranger"}
    assert names(User.objects.holding(roles.OPERATOR)) == {"op", "stranger"}, "anywhere, still active only"
    assert names(User.objects.holding(roles.OPERATOR, roles.SUPERVISOR, branch=msk)) == {"op", "sup"}
    assert list(User.objects.holding(roles.SUPERVISOR, branch=[msk, bud])) == [moscow_staff["supervisor"]]


def test_holders_by_branch_reads_each_branch_and_role_that_matched(msk, bud, moscow_staff):
    found = User.objects.holders_by_branch(roles.OPERATOR, roles.SUPERVISOR, branch=[msk.pk, bud.pk])
    ids = {name: user.pk for name, user in moscow_staff.items()}
    assert dict(found) == {
        (msk.pk, roles.OPERATOR): {ids["operator"]},
        (msk.pk, roles.SUPERVISOR): {ids["supervisor"]},
        (bud.pk, roles.OPERATOR): {ids["stranger"]},
        (bud.pk, roles.SUPERVISOR): {ids["supervisor"]},
    }


def test_the_supervisors_of_a_branch_are_its_supervisor_role_holders_and_its_team_supervisors(msk, bud, moscow_staff):
    lead = UserFactory(username="lead", role=roles.OPERATOR, branches=[msk])
    gone_lead = UserFactory(username="gone_lead", role=roles.SUPERVISOR, branches=[msk], is_active=False)
    TeamFactory(branch=msk, supervisor=lead)
    TeamFactory(branch=msk, supervisor=gone_lead)
    found = User.objects.supervisors_by_branch([msk.pk, bud.pk])
    assert found[msk.pk] == {moscow_staff["supervisor"].pk, lead.pk}
    assert found[bud.pk] == {moscow_staff["supervisor"].pk}, "a team leads only in its own branch"
