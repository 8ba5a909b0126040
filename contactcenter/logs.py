"""Log lines: one JSON object per line in production (``LOG_FORMAT=json``), plain readable lines in development
(``LOG_FORMAT=plain``); both carry the request id and the user id (``contactcenter.request_id``)."""

import logging

from pythonjsonlogger.json import JsonFormatter

from contactcenter.request_id import current_request_id, current_user_id


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (None outside a request or a task)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        record.user_id = current_user_id.get()
        return True


class JsonLineFormatter(JsonFormatter):
    """``{"time", "level", "logger", "message", "request_id", "user_id", …}``, time in UTC, ISO 8601."""

    def __init__(self, **kwargs):
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            **kwargs,
        )

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # Django's request logger passes the request object itself; its repr says nothing the line lacks.
        log_data.pop("request", None)
