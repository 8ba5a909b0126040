import logging

from celery import current_app, shared_task

from .scan import scan_deadlines as run_scan

logger = logging.getLogger(__name__)

# The scan has a queue and a worker of its own (settings.CELERY_TASK_ROUTES, Procfile): sending, however
# slow the mail server, never delays flagging.
SCAN_QUEUE = "scan"


@shared_task(name="contactcenter.deadlines.scan_deadlines", ignore_result=True)
def scan_deadlines():
    """The minute scan; when anything changed, the alerts it made are sent at once rather than next minute."""
    result = run_scan()
    figures = {
        "due_soon": result.due_soon,
        "overdue": result.overdue,
        "long_overdue": result.long_overdue,
        "reminders": result.reminders,
    }
    logger.info(
        "Scan: due soon %(due_soon)d, overdue %(overdue)d, overdue for long %(long_overdue)d, reminders %(reminders)d",
        figures,
    )
    if result.changed:
        # By name: the deadlines app does not import the alerts app that depends on it. Stale after a minute:
        # the every-minute task has sent by then.
        current_app.signature("contactcenter.alerts.send_alerts").apply_async(
            retry=False, ignore_result=True, expires=60
        )
    return figures
