"""Nobody acknowledging an escalation in time raises it, level by level, through the deadline scan."""

import pytest

from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from escalations import services
from escalations.models import Escalation, Level
from tests.moments import moscow


def open_clock_of(escalation):
    return Deadline.objects.for_case(escalation).open().get()


def raised_to(staff_member) -> bool:
    return any(staff_member.email in email.to for email in OutboundEmail.objects.filter(purpose="escalation_raised"))


def scan_at(traveller, *moment):
    traveller.move_to(moscow(*moment))
    return scan_deadlines(now=moscow(*moment))


@pytest.fixture
def unacknowledged(open_escalation, monday_morning):
    """A demand for a supervisor at Monday 10:00, due at 12:00 (two business hours)."""
    return open_escalation()


def test_rises_level_by_level_in_frozen_time(unacknowledged, staff, monday_morning):
    escalation = unacknowledged
    supervisors_clock = open_clock_of(escalation)

    # 11:00: half the time gone, the supervisors are warned; nothing rises.
    scan_at(monday_morning, 2026, 11, 23, 11, 0)
    assert Alert.objects.filter(deadline=supervisors_clock, level="due_soon", recipient=staff["supervisor"]).exists()
    escalation.refresh_from_db()
    assert escalation.level == Level.SUPERVISOR

    # 12:01: overdue and nobody acknowledged it: the head of department has it now, for two business hours.
    scan_at(monday_morning, 2026, 11, 23, 12, 1)
    escalation.refresh_from_db()
    assert (escalation.level, escalation.status) == (Level.HEAD_OF_DEPARTMENT, Escalation.Status.OPEN)
    assert escalation.raised_at == moscow(2026, 11, 23, 12, 1)
    supervisors_clock.refresh_from_db()
    assert supervisors_clock.state == Deadline.State.CANCELLED and supervisors_clock.overdue_since is not None
    heads_clock = open_clock_of(escalation)
    assert (heads_clock.kind, heads_clock.due_at) == ("escalation_head_of_department", moscow(2026, 11, 23, 14, 1))
    assert escalation.due_at == heads_clock.due_at
    assert raised_to(staff["head"]), "everyone on the new level is told at once"
    assert not raised_to(staff["security"])
    assert Alert.objects.filter(deadline=supervisors_clock, level="overdue", recipient=staff["supervisor"]).exists()
    entry = AuditEntry.objects.for_target(escalation).get(action="escalation.raised")
    assert entry.actor is None and entry.changes == {"level": ["supervisor", "head_of_department"]}

    # 14:02: the head of department let it run out too: security.
    scan_at(monday_morning, 2026, 11, 23, 14, 2)
    escalation.refresh_from_db()
    assert escalation.level == Level.SECURITY
    assert escalation.reached_security_at == moscow(2026, 11, 23, 14, 2)
    assert open_clock_of(escalation).kind == "escalation_security"
    assert raised_to(staff["security"])

    # 16:03: security is the top: the clock stays overdue and its alerts go to security and the heads.
    scan_at(monday_morning, 2026, 11, 23, 16, 3)
    escalation.refresh_from_db()
    assert escalation.level == Level.SECURITY
    security_clock = open_clock_of(escalation)
    assert security_clock.state == Deadline.State.OVERDUE
    assert set(
        Alert.objects.filter(deadline=security_clock, level="overdue").values_list("recipient__username", flat=True)
    ) == {"looker", "head"}
    assert AuditEntry.objects.filter(action="escalation.raised").count() == 2


def test_an_acknowledged_escalation_does_not_rise(unacknowledged, staff, monday_morning):
    services.escalation_acknowledge(escalation=unacknowledged, by=staff["supervisor"])
    scan_at(monday_morning, 2026, 11, 23, 12, 1)
    unacknowledged.refresh_from_db()
    assert unacknowledged.level == Level.SUPERVISOR
    clock = open_clock_of(unacknowledged)
    assert (clock.kind, clock.state, clock.owner) == ("escalation_supervisor", "overdue", staff["supervisor"])
    assert not OutboundEmail.objects.filter(purpose="escalation_raised").exists()
    # Overdue for long (two hours later): the branch's manager and the deputy director hear of it.
    scan_at(monday_morning, 2026, 11, 23, 14, 2)
    long_overdue = Alert.objects.filter(deadline=clock, level="long_overdue").values_list("recipient", flat=True)
    assert set(long_overdue) == {staff["manager"].pk, staff["deputy"].pk}


def test_a_closed_or_contacted_escalation_does_not_rise(open_escalation, staff, monday_morning):
    contacted = open_escalation()
    services.escalation_record_contact(escalation=contacted, by=staff["supervisor"], note="Reached")
    scan_at(monday_morning, 2026, 11, 24, 9, 0)
    contacted.refresh_from_db()
    assert contacted.level == Level.SUPERVISOR
    assert not OutboundEmail.objects.filter(purpose="escalation_raised").exists()


def test_scanning_twice_raises_once_and_reminders_do_not_raise(unacknowledged, staff, monday_morning):
    scan_at(monday_morning, 2026, 11, 23, 12, 1)
    scan_deadlines(now=moscow(2026, 11, 23, 12, 1))
    unacknowledged.refresh_from_db()
    assert unacknowledged.level == Level.HEAD_OF_DEPARTMENT
    assert OutboundEmail.objects.filter(purpose="escalation_raised").count() == 1
    # The head acknowledges; their clock runs out; reminders follow every half hour, and nothing rises.
    services.escalation_acknowledge(escalation=unacknowledged, by=staff["head"])
    for minute in (14 * 60 + 2, 14 * 60 + 40, 15 * 60 + 20):
        scan_at(monday_morning, 2026, 11, 23, minute // 60, minute % 60)
    unacknowledged.refresh_from_db()
    assert unacknowledged.level == Level.HEAD_OF_DEPARTMENT
    clock = open_clock_of(unacknowledged)
    assert clock.reminders_sent >= 1
    assert AuditEntry.objects.filter(action="escalation.raised").count() == 1


def test_aggressive_reaches_security_at_once_and_rises_to_its_clock(open_escalation, staff, monday_morning):
    escalation = open_escalation("aggressive")
    assert escalation.reached_security_at is not None
    scan_at(monday_morning, 2026, 11, 23, 11, 1)
    escalation.refresh_from_db()
    assert escalation.level == Level.SECURITY
    assert open_clock_of(escalation).due_at == moscow(2026, 11, 23, 12, 1)


def test_the_page_names_the_level_responsible_and_promises_no_rise_above_security(
    unacknowledged, staff, monday_morning, client
):
    escalation = unacknowledged
    client.force_login(staff["supervisor"])

    def said():
        page = client.get(escalation.get_absolute_url()).content.decode()
        return page.split('data-testid="call-back-by"', 1)[1].split("</div>", 1)[0]

    assert "Supervisor must call the customer back by" in said()
    assert "it goes up a level, to head of department" in said()

    scan_at(monday_morning, 2026, 11, 23, 12, 1)
    assert "Head of department must call the customer back by" in said()
    assert "it goes up a level, to security" in said()

    scan_at(monday_morning, 2026, 11, 23, 14, 2)
    escalation.refresh_from_db()
    assert escalation.level == Level.SECURITY
    assert "Security must call the customer back by" in said()
    assert "goes up" not in said()
    assert "at the last level" in said()
