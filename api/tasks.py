from celery import shared_task

from .idempotency import purge_expired_keys
from .webhooks import delivery
from .webhooks.events import TASK_NAME as SEND_WEBHOOKS


@shared_task(name="api.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return purge_expired_keys()


@shared_task(name=SEND_WEBHOOKS, ignore_result=True)
def send_webhooks():
    """Every minute (beat), and asked for when an event is written: on the outbox senders' queue; safe to run
    twice at once (claims are conditional updates)."""
    result = delivery.send_webhooks()
    return {"delivered": result.delivered, "failed": result.failed}
