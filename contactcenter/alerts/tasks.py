from celery import shared_task

from . import services


@shared_task(name="contactcenter.alerts.send_alerts", ignore_result=True)
def send_alerts():
    """Send the ready alerts; safe to run twice at once (claims are conditional updates)."""
    result = services.send_alerts()
    return {"digests_sent": result.digests_sent, "alerts_sent": result.alerts_sent, "failed": result.digests_failed}
