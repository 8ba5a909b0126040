from celery import current_app, shared_task

from .scan import scan_deadlines as run_scan


@shared_task(name="contactcenter.deadlines.scan_deadlines", ignore_result=True)
def scan_deadlines():
    """The minute scan; when anything changed, the alerts it made are sent at once rather than next minute."""
    result = run_scan()
    if result.changed:
        # By name: the deadlines app does not import the alerts app that depends on it.
        current_app.signature("contactcenter.alerts.send_alerts").delay()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "long_overdue": result.long_overdue}
