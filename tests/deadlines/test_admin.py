"""The deadline engine in the admin: policies are edited there, clocks and pauses are only looked at, and the
beat schedules (django-celery-beat's own admin) show and can be changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines import services
from contactcenter.deadlines.beat import SCHEDULES
from contactcenter.deadlines.models import ClockPause, ClockPolicy, Deadline, Recipient
from tests import admin_pages as pages
from tests.factories import ClockPolicyFactory, CustomerFactory


@pytest.fixture
def add_clocks(msk, operator, policy):
    """Three clocks of three customers: one owned and paused (for the second time), one in nobody's hands, one
    met."""

    def add():
        # Fixed names: a random one ("Christopher") could hold the operator's username and match its search.
        cases = [CustomerFactory(branch=msk, full_name=name) for name in ("Ivan Ivanov", "Anna Smirnova", "Petr Belov")]
        for case, owner in zip(cases, (operator, None, operator), strict=True):
            services.open_clock(
                case=case, kind=policy.kind, branch=msk, owner=owner, due_at=timezone.now() + timedelta(hours=3)
            )
        services.pause_clock(case=cases[0], kind=policy.kind, reason="Waiting for a call back", by=operator)
        services.resume_clock(case=cases[0], kind=policy.kind, by=operator)
        services.pause_clock(case=cases[0], kind=policy.kind, reason="Waiting for the customer's papers", by=operator)
        services.meet_clock(case=cases[2], kind=policy.kind)

    return add


def add_policy():
    ClockPolicyFactory(kind=f"kind_{ClockPolicy.objects.count()}")


@pytest.mark.parametrize("model", [ClockPolicy, Deadline, ClockPause])
def test_every_list_filter_opens_and_matches(admin_client, add_clocks, model):
    add_clocks()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [ClockPolicy, Deadline, ClockPause])
def test_a_list_costs_the_same_for_more_rows(admin_client, add_clocks, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_policy if model is ClockPolicy else add_clocks)


def test_the_lists_are_searched(admin_client, add_clocks, operator):
    add_clocks()
    owned = pages.shown(admin_client.get(pages.changelist(Deadline), {"q": operator.username}))
    assert len(owned) == 2 and {clock.owner for clock in owned} == {operator}
    paused = pages.shown(admin_client.get(pages.changelist(ClockPause), {"q": "papers"}))
    assert [pause.started_by for pause in paused] == [operator]
    ended = pages.shown(admin_client.get(pages.changelist(ClockPause), {"ended_at__isempty": "0"}))
    assert [(pause.reason, pause.ended_by) for pause in ended] == [("Waiting for a call back", operator)]
    assert pages.shown(admin_client.get(pages.changelist(ClockPause), {"q": "holiday"})) == []
    policies = pages.shown(admin_client.get(pages.changelist(ClockPolicy), {"q": "complaint_answer"}))
    assert [policy.kind for policy in policies] == ["complaint_answer"]


def test_the_filters_find_the_paused_clocks_and_those_nobody_owns(admin_client, add_clocks):
    add_clocks()
    url = pages.changelist(Deadline)
    paused = pages.shown(admin_client.get(url, {"paused_at__isempty": "0"}))
    assert [clock.pause_reason for clock in paused] == ["Waiting for the customer's papers"]
    assert [clock.owner for clock in pages.shown(admin_client.get(url, {"owner__isempty": "1"}))] == [None]


def test_the_clock_list_links_to_the_case(admin_client, add_clocks):
    add_clocks()
    response = admin_client.get(pages.changelist(Deadline))
    clock = Deadline.objects.filter(owner=None).get()
    assert f'href="{clock.case_url}"' in response.content.decode()


def test_a_policy_is_changed_in_the_admin_but_not_deleted(admin_client, policy, root):
    assert admin_client.get(pages.add_page(ClockPolicy)).status_code == 200
    assert admin_client.get(pages.change_page(policy)).status_code == 200
    data = {
        "kind": policy.kind,
        "label": "Test clock",
        "label_ru": "Проверочные часы",
        "warn_share": "",
        "warn_lead": "00:10:00",
        "long_overdue_after": "08:00:00",
        "remind_every": "00:30:00",
        "due_soon_recipients": [Recipient.OWNER],
        "overdue_recipients": [Recipient.OWNER, Recipient.SUPERVISORS],
        "long_overdue_recipients": [Recipient.SECURITY],
    }
    assert admin_client.post(pages.change_page(policy), data).status_code == 302
    policy.refresh_from_db()
    assert policy.warn_lead == timedelta(minutes=10) and policy.warn_share is None
    assert policy.long_overdue_recipients == [Recipient.SECURITY]
    [entry] = AuditEntry.objects.for_target(policy)
    assert (entry.action, entry.actor) == ("admin.changed", root)
    assert entry.changes["warn_lead"] == [None, "0:10:00"]
    assert entry.changes["long_overdue_recipients"][1] == ["security"]

    response = admin_client.post(pages.change_page(policy), {**data, "remind_every": "00:00:30"})
    assert response.status_code == 200, "reminders at most every minute are refused"
    policy.refresh_from_db()
    assert policy.remind_every == timedelta(minutes=30)
    assert AuditEntry.objects.for_target(policy).count() == 1, "a refused change is not recorded"
    assert admin_client.post(pages.change_page(policy).replace("change", "delete"), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("model", [Deadline, ClockPause])
def test_clocks_and_pauses_are_shown_but_not_edited(admin_client, add_clocks, model):
    add_clocks()
    row = model.objects.first()
    assert admin_client.get(pages.change_page(row)).status_code == 200
    assert admin_client.get(pages.add_page(model)).status_code == 403
    assert admin_client.post(pages.change_page(row), {}).status_code == 403
    assert admin_client.post(pages.change_page(row).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert pages.actions_offered(admin_client, model) == set(), "no service reassigns a clock apart from its case"


# --- the beat schedules ---------------------------------------------------------------------------------------


def test_our_schedules_are_in_the_beat_admin(admin_client):
    response = admin_client.get(pages.changelist(PeriodicTask))
    assert response.context["wrong_scheduler"] is False, "beat reads its schedule from these rows"
    names = {task.name: task.task for task in pages.shown(response)}
    assert {task: name for name, task in names.items() if task in SCHEDULES} == SCHEDULES
    found = pages.shown(admin_client.get(pages.changelist(PeriodicTask), {"q": "scan_deadlines"}))
    assert [task.name for task in found] == ["Scan deadlines"]
    assert pages.follow_every_filter(admin_client, PeriodicTask) > 0
    for model in (IntervalSchedule, PeriodicTask):
        assert admin_client.get(pages.add_page(model)).status_code == 200


def test_a_schedule_is_edited_in_the_beat_admin(admin_client):
    task = PeriodicTask.objects.get(task="contactcenter.deadlines.scan_deadlines")
    response = admin_client.get(pages.change_page(task))
    assert response.status_code == 200
    assert 'value="contactcenter.deadlines.scan_deadlines"' in response.content.decode(), "our task is registered"
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    response = admin_client.post(
        pages.change_page(task),
        {
            "name": "Scan deadlines",
            "regtask": "contactcenter.deadlines.scan_deadlines",
            "task": "",
            "description": "Slower while the database moves.",
            "interval": every_five.pk,
            "start_time_0": "",
            "start_time_1": "",
            "args": "[]",
            "kwargs": "{}",
            "expires_0": "",
            "expires_1": "",
            "expire_seconds": "",
            "queue": "",
            "exchange": "",
            "routing_key": "",
            "priority": "",
            "headers": "{}",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    task.refresh_from_db()
    assert (task.interval, task.enabled, task.description) == (every_five, False, "Slower while the database moves.")
    [entry] = AuditEntry.objects.for_target(task)
    assert entry.action == "admin.changed"
    assert entry.changes["interval"] == ["every minute", "every 5 minutes"]
    assert entry.changes["enabled"] == [True, False]

    admin_client.post(pages.changelist(PeriodicTask), {"action": "enable_tasks", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.enabled
