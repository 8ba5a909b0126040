import logging

from celery import shared_task

from .retention import apply_retention as run_retention
from .retention import describe

logger = logging.getLogger(__name__)


@shared_task(name="privacy.apply_retention", ignore_result=True)
def apply_retention():
    """Nightly (beat): what is past its retention period is anonymised or removed. Safe to run twice: a second
    run finds nothing left to do."""
    figures = run_retention()
    logger.info("Retention: %s", describe(figures))
    return figures
