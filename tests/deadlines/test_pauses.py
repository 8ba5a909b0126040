"""The reference data and rules of a pause: the default reasons, the reason's text, who may, what may never."""

import pytest
from django.core.management import call_command

from contactcenter.deadlines.models import ClockPolicy, PauseReason
from contactcenter.deadlines.services import ClockError, check_may_pause, pause_text
from contactcenter.directory.roles import PERMISSIONS
from tests.factories import UserFactory


def test_the_default_reasons_exist_and_come_back_after_a_flush(transactional_db):
    assert list(PauseReason.objects.values_list("label", "needs_note")) == [
        ("Waiting for the customer's documents", False),
        ("Customer abroad until…", True),
    ]
    call_command("flush", interactive=False, verbosity=0)
    assert PauseReason.objects.count() == 2
    assert ClockPolicy.objects.get(kind="complaint_legal_answer").may_pause is False


def test_the_legal_term_may_never_be_paused_but_the_answer_may(db):
    assert ClockPolicy.objects.get(kind="complaint_legal_answer").may_pause is False
    assert ClockPolicy.objects.get(kind="complaint_answer").may_pause is True
    assert ClockPolicy.objects.get(kind="callback_contact").may_pause is True


@pytest.mark.parametrize("role", ["Supervisor", "Head of department", "Branch manager", "Deputy director"])
def test_supervisors_and_up_may_pause(msk, role):
    assert "deadlines.pause_deadline" in PERMISSIONS[role]
    check_may_pause(UserFactory(username=f"u-{role}", role=role, branches=[msk]))


@pytest.mark.parametrize("role", ["Operator", "Security"])
def test_operators_and_security_may_not(msk, role):
    with pytest.raises(ClockError):
        check_may_pause(UserFactory(username=f"u-{role}", role=role, branches=[msk]))


def test_the_text_of_a_pause(db):
    documents = PauseReason.objects.get(needs_note=False)
    assert pause_text(reason=documents) == "Waiting for the customer's documents"
    assert pause_text(reason=documents, note="  the  passport ") == "Waiting for the customer's documents: the passport"
    with pytest.raises(ClockError, match="at most 500"):
        pause_text(reason=documents, note="x" * 501)
    with pytest.raises(ClockError, match="Choose a reason"):
        pause_text(reason=None)
