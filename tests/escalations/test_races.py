"""The scan and the people act at the same moment: an escalation rises once, or is acknowledged, never both
half-way, and nobody deadlocks."""

import pytest
import time_machine

from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from escalations import services
from escalations.models import Escalation, Level
from tests.concurrency import at_once as run_at_once
from tests.moments import moscow

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OVERDUE = moscow(2026, 11, 23, 12, 1)


def at_once(*actions):
    _, errors = run_at_once(*actions)
    assert not errors, errors


@pytest.fixture
def overdue_escalation(open_escalation):
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):
        escalation = open_escalation()
    with time_machine.travel(OVERDUE, tick=False) as traveller:
        yield escalation, traveller


def test_two_scans_at_once_raise_once(overdue_escalation):
    escalation, _ = overdue_escalation
    at_once(lambda: scan_deadlines(now=OVERDUE), lambda: scan_deadlines(now=OVERDUE))
    escalation.refresh_from_db()
    assert escalation.level == Level.HEAD_OF_DEPARTMENT
    assert AuditEntry.objects.filter(action="escalation.raised").count() == 1
    assert Deadline.objects.for_case(escalation).open().count() == 1


@pytest.mark.parametrize("repeat", range(5))
def test_a_scan_and_an_acknowledgement_at_once(overdue_escalation, staff, repeat):
    escalation, _ = overdue_escalation
    at_once(
        lambda: scan_deadlines(now=OVERDUE),
        lambda: services.escalation_acknowledge(escalation=escalation, by=staff["supervisor"]),
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    clock = Deadline.objects.for_case(escalation).open().get()
    assert clock.owner == staff["supervisor"]
    raised = AuditEntry.objects.filter(action="escalation.raised").count()
    if escalation.level == Level.SUPERVISOR:
        assert raised == 0 and clock.kind == "escalation_supervisor", "acknowledged first: it stays"
    else:
        assert raised == 1 and clock.kind == "escalation_head_of_department", "raised first, then taken"
