"""The Celery application: configured from Django's settings (CELERY_* names)."""

import os
import socket

from celery import Celery

from contactcenter import request_id  # noqa: F401 -- connects the signals that carry the request id into tasks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")

app = Celery("contactcenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="contactcenter.ping")
def ping():
    """Health check: proves a worker takes tasks from the broker and can return a result."""
    return {"pong": True, "host": socket.gethostname()}
