from celery import shared_task

from . import outbound, services
from .sending import SendingRun


@shared_task(name="contactcenter.alerts.send_alerts", ignore_result=True)
def send_alerts():
    """Send the ready alerts and outbound e-mails in one run (one SMTP connection); safe to run twice at once
    (claims are conditional updates)."""
    with SendingRun() as run:
        result = services.send_alerts(run=run)
        emails = outbound.send_outbound_emails(run=run)
    return {
        "digests_sent": result.digests_sent,
        "alerts_sent": result.alerts_sent,
        "failed": result.digests_failed,
        "emails_sent": emails.sent,
        "emails_failed": emails.failed,
    }


@shared_task(name=outbound.TASK_NAME, ignore_result=True)
def send_outbound_emails():
    """Asked for when a case queued an e-mail, so that it goes at once rather than at the next minute."""
    result = outbound.send_outbound_emails()
    return {"emails_sent": result.sent, "emails_failed": result.failed}
