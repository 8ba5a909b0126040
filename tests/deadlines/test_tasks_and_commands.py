"""The Celery tasks and management commands are thin callers of the scan and the outbox."""

import pytest
import time_machine
from django.core.management import call_command

from contactcenter import celery_app
from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services
from contactcenter.deadlines.tasks import scan_deadlines
from tests.moments import moscow as at


@pytest.fixture
def eager():
    """Tasks run in the test's process, with every app's tasks registered as a worker has them."""
    celery_app.loader.import_default_modules()
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def past_due(case, msk, people, policy):
    """Half an hour past due: overdue, not yet overdue for long."""
    with time_machine.travel(at(2026, 11, 23, 10, 30), tick=False):
        yield services.open_clock(
            case=case,
            kind="test_clock",
            branch=msk,
            due_at=at(2026, 11, 23, 10, 0),
            opened_at=at(2026, 11, 23, 9, 0),
            owner=people["owner"],
        )


def test_the_scan_task_flags_and_sends_at_once(past_due, people, smtp_server, eager):
    result = scan_deadlines.delay().get()
    assert result == {"due_soon": 0, "overdue": 1, "long_overdue": 0, "reminders": 0}
    assert Alert.objects.filter(sent_at__isnull=False).count() == 3
    assert people["owner"].email in smtp_server.recipients


def test_the_commands(past_due, smtp_server, capsys):
    call_command("scan_deadlines")
    assert "overdue: 1" in capsys.readouterr().out
    call_command("send_alerts")
    assert "digests sent: 3, alerts sent: 3, digests failed: 0" in capsys.readouterr().out
    call_command("scan_deadlines")
    assert "due soon: 0, overdue: 0, overdue for long: 0, reminders: 0" in capsys.readouterr().out


def test_the_scan_has_its_own_queue_and_every_minute_tasks_expire_before_the_next(db):
    from django.conf import settings
    from django_celery_beat.models import PeriodicTask

    assert celery_app.amqp.router.route({}, "contactcenter.deadlines.scan_deadlines")["queue"].name == "scan"
    assert celery_app.amqp.router.route({}, "contactcenter.alerts.send_alerts")["queue"].name == "celery"
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    assert "--queues scan" in procfile and "--queues celery" in procfile
    tasks = PeriodicTask.objects.filter(task__startswith="contactcenter.")
    assert tasks.count() == 2
    for task in tasks:
        assert 0 < task.expire_seconds < task.interval.every * 60
