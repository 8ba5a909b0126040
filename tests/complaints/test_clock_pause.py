"""A supervisor pauses a complaint's answer clock with a reason and resumes it; the legal term never stands still."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services
from complaints.models import ANSWER_CLOCK, LEGAL_CLOCK
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import ClockPause, Deadline, PauseReason
from contactcenter.deadlines.services import ClockError, pause_clock
from tests.moments import moscow as at

RECEIVED = at(2026, 11, 23, 10, 0)
NOW = at(2026, 11, 23, 11, 0)


@pytest.fixture
def complaint(register, financial):
    return register(RECEIVED)


@pytest.fixture
def documents():
    return PauseReason.objects.get(label="Waiting for the customer's documents")


@pytest.fixture
def abroad():
    return PauseReason.objects.get(label="Customer abroad until…")


def _clock(complaint, kind=ANSWER_CLOCK):
    return Deadline.objects.for_case(complaint).open().get(kind=kind)


def test_a_supervisor_pauses_the_answer_clock_and_the_paused_time_does_not_count(complaint, staff, documents):
    supervisor = staff["supervisor"]
    due = _clock(complaint).due_at
    with time_machine.travel(NOW, tick=False):
        services.complaint_pause_clock(complaint=complaint, reason=documents, note="passport copy", by=supervisor)
    clock = _clock(complaint)
    assert clock.paused_at == NOW
    assert clock.pause_reason == "Waiting for the customer's documents: passport copy"
    assert ClockPause.objects.get(deadline=clock).started_by == supervisor

    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        services.complaint_resume_clock(complaint=complaint, by=supervisor)
    clock = _clock(complaint)
    assert clock.paused_at is None
    assert clock.due_at == due + timedelta(days=3)
    assert clock.paused_total == timedelta(days=3)
    pause = ClockPause.objects.get(deadline=clock)
    assert (pause.ended_at, pause.ended_by) == (NOW + timedelta(days=3), supervisor)
    actions = list(AuditEntry.objects.for_target(complaint).values_list("action", "actor", "note"))
    assert ("clock.paused", supervisor.pk, "Waiting for the customer's documents: passport copy") in actions
    assert ("clock.resumed", supervisor.pk, "") in actions


def test_the_legal_term_is_refused_by_the_service_and_by_the_engine(complaint, staff, documents):
    supervisor = staff["supervisor"]
    with pytest.raises(ValidationError, match="legal answer term cannot be paused"):
        services.complaint_pause_clock(complaint=complaint, kind=LEGAL_CLOCK, reason=documents, by=supervisor)
    with pytest.raises(ClockError, match="can never be paused"):
        pause_clock(case=complaint, kind=LEGAL_CLOCK, reason="Waiting for the customer's documents", by=supervisor)
    assert not Deadline.objects.for_case(complaint).exclude(paused_at=None).exists()
    assert not ClockPause.objects.exists()


def test_an_operator_may_not_pause_nor_resume(complaint, operator, staff, documents):
    with pytest.raises(ClockError, match="Only a supervisor or a manager"):
        services.complaint_pause_clock(complaint=complaint, reason=documents, by=operator)
    assert _clock(complaint).paused_at is None
    services.complaint_pause_clock(complaint=complaint, reason=documents, by=staff["supervisor"])
    with pytest.raises(ClockError, match="Only a supervisor or a manager"):
        services.complaint_resume_clock(complaint=complaint, by=operator)
    assert _clock(complaint).paused_at is not None


def test_a_reason_that_needs_words_is_refused_without_them(complaint, staff, abroad):
    with pytest.raises(ClockError, match="Complete the reason"):
        services.complaint_pause_clock(complaint=complaint, reason=abroad, note="  ", by=staff["supervisor"])
    services.complaint_pause_clock(complaint=complaint, reason=abroad, note="15.12.2026", by=staff["supervisor"])
    assert _clock(complaint).pause_reason == "Customer abroad until…: 15.12.2026"


def test_a_retired_reason_is_refused(complaint, staff, documents):
    documents.is_active = False
    documents.save()
    with pytest.raises(ClockError, match="Choose a reason"):
        services.complaint_pause_clock(complaint=complaint, reason=documents, by=staff["supervisor"])


def test_the_page_offers_the_pause_on_the_answer_clock_only_to_a_supervisor(client, complaint, staff, operator):
    url = complaint.get_absolute_url()
    client.force_login(operator)
    page = client.get(url).content.decode()
    assert 'data-testid="pause-clock"' not in page
    client.force_login(staff["supervisor"])
    page = client.get(url).content.decode()
    # One button: the answer clock's; the legal term and the forwarding have none.
    assert page.count('data-testid="pause-clock"') == 1
    assert reverse("complaints:pause-clock", args=[complaint.pk]) in page


def test_an_operator_posting_a_pause_is_forbidden(client, complaint, operator, documents):
    client.force_login(operator)
    response = client.post(reverse("complaints:pause-clock", args=[complaint.pk]), {"reason": documents.pk})
    assert response.status_code == 403
    assert _clock(complaint).paused_at is None


def test_pause_and_resume_from_the_page(client, complaint, staff, documents):
    client.force_login(staff["supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("complaints:pause-clock", args=[complaint.pk]), {"reason": documents.pk, "note": "statement"}
        )
        assert response.status_code == 302
        page = client.get(complaint.get_absolute_url()).content.decode()
    assert "paused since 23.11.2026 11:00 MSK (Waiting for the customer&#x27;s documents: statement)" in page
    assert 'data-testid="resume-clock"' in page
    assert 'data-testid="pause-clock"' not in page
    listing = client.get(reverse("complaints:list")).content.decode()
    assert "paused since 23.11.2026 11:00 MSK" in listing

    response = client.post(reverse("complaints:resume-clock", args=[complaint.pk]))
    assert response.status_code == 302
    assert _clock(complaint).paused_at is None
    assert "paused since" not in client.get(reverse("complaints:list")).content.decode()


def test_a_refused_pause_shows_its_message_and_changes_nothing(client, complaint, staff, abroad):
    client.force_login(staff["supervisor"])
    response = client.post(reverse("complaints:pause-clock", args=[complaint.pk]), {"reason": abroad.pk, "note": ""})
    assert response.status_code == 400
    assert "Complete the reason" in response.content.decode()
    assert _clock(complaint).paused_at is None
