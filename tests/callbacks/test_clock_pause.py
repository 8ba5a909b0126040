"""A supervisor pauses a callback's clock with a reason and resumes it; the lists show the pause."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from callbacks import services
from callbacks.models import CLOCK_KIND
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline, PauseReason
from contactcenter.deadlines.services import ClockError
from tests.factories import BranchFactory, UserFactory


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def documents():
    return PauseReason.objects.get(label="Waiting for the customer's documents")


@pytest.fixture
def callback(register, operator, monday_morning):
    return register(assigned_to=operator)


def _clock(callback):
    return Deadline.objects.for_case(callback).open().get(kind=CLOCK_KIND)


def test_pause_and_resume_move_the_promise_and_its_copy_on_the_callback(
    callback, supervisor, documents, monday_morning
):
    due = _clock(callback).due_at
    services.callback_pause_clock(callback=callback, reason=documents, note="contract scan", by=supervisor)
    assert _clock(callback).pause_reason == "Waiting for the customer's documents: contract scan"
    monday_morning.shift(timedelta(hours=5))
    services.callback_resume_clock(callback=callback, by=supervisor)
    clock = _clock(callback)
    callback.refresh_from_db()
    assert clock.due_at == due + timedelta(hours=5)
    assert callback.next_contact_at == clock.due_at
    assert {"clock.paused", "clock.resumed"} <= set(
        AuditEntry.objects.for_target(callback).values_list("action", flat=True)
    )


def test_an_operator_may_not_pause_their_own_callback(callback, operator, documents):
    with pytest.raises(ClockError, match="Only a supervisor"):
        services.callback_pause_clock(callback=callback, reason=documents, by=operator)
    assert _clock(callback).paused_at is None


def test_a_closed_callback_has_no_clock_to_pause(callback, supervisor, documents):
    services.callback_cancel(callback=callback, by=supervisor, reason="Customer withdrew")
    with pytest.raises(ValidationError, match="already closed"):
        services.callback_pause_clock(callback=callback, reason=documents, by=supervisor)


def test_the_page_offers_the_pause_to_a_supervisor_only(client, callback, supervisor, operator):
    client.force_login(operator)
    assert 'data-testid="pause-clock"' not in client.get(callback.get_absolute_url()).content.decode()
    response = client.post(reverse("callbacks:pause-clock", args=[callback.pk]), {"reason": "1"})
    assert response.status_code == 403
    client.force_login(supervisor)
    assert 'data-testid="pause-clock"' in client.get(callback.get_absolute_url()).content.decode()


def test_pause_from_the_page_shows_in_the_lists_in_the_reader_s_zone(client, callback, supervisor, operator, documents):
    client.force_login(supervisor)
    response = client.post(reverse("callbacks:pause-clock", args=[callback.pk]), {"reason": documents.pk, "note": ""})
    assert response.status_code == 302
    shown = "paused since 23.11.2026 10:00 MSK (Waiting for the customer&#x27;s documents)"
    page = client.get(callback.get_absolute_url()).content.decode()
    assert shown in page and 'data-testid="resume-clock"' in page
    assert shown in client.get(reverse("callbacks:list")).content.decode()
    client.force_login(operator)
    assert shown in client.get(reverse("callbacks:mine")).content.decode()

    # A Yekaterinburg supervisor who also looks after Moscow reads the moment in their own zone.
    ekb = BranchFactory(code="EKB", time_zone="Asia/Yekaterinburg")
    reader = UserFactory(username="ekb-sup", role="Supervisor", branches=[ekb])
    reader.branches.add(callback.branch)
    client.force_login(reader)
    assert shown in client.get(reverse("callbacks:list")).content.decode()  # two zones: the branch's
    deputy = UserFactory(username="far-deputy", role="Deputy director")
    client.force_login(deputy)
    assert shown in client.get(reverse("callbacks:list")).content.decode()


def test_a_reader_of_one_zone_reads_it_in_their_own(client, callback, supervisor, documents, msk):
    services.callback_pause_clock(callback=callback, reason=documents, by=supervisor)
    ekb = BranchFactory(code="EKX", time_zone="Asia/Yekaterinburg")
    # A deputy director who works from Yekaterinburg (+05) sees every branch and reads in their own zone.
    reader = UserFactory(username="ekb-reader", role="Deputy director", branches=[ekb])
    client.force_login(reader)
    assert "paused since 23.11.2026 12:00 +05" in client.get(reverse("callbacks:list")).content.decode()


def test_resume_from_the_page(client, callback, supervisor, documents):
    services.callback_pause_clock(callback=callback, reason=documents, by=supervisor)
    client.force_login(supervisor)
    assert client.post(reverse("callbacks:resume-clock", args=[callback.pk])).status_code == 302
    assert _clock(callback).paused_at is None
