from celery import shared_task
from django.conf import settings

from . import mailbox


@shared_task(name="complaints.poll_mailbox", ignore_result=True)
def poll_mailbox():
    """Every minute while ``IMAP_URL`` is set (settings' beat schedule): read the complaint mailbox."""
    if not settings.IMAP_URL:
        return {"skipped": "IMAP_URL is not set"}
    result = mailbox.poll_mailbox()
    return {**result.outcomes, "failed": result.failed}
