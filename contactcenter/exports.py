"""CSV downloads: one way for every list and report to hand a spreadsheet over.

Each file starts with a byte-order mark so that spreadsheet programs read it as UTF-8 (Cyrillic names
survive a double-click), is never kept in a shared cache (it holds customers' names and phones), and has
every text cell made safe from being run as a formula: names, summaries and reasons are typed by people.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+\d{4,15}$")
# A spreadsheet set up for another separator (";" in Russian Excel) splits a cell where this file does not:
# what follows a separator inside a cell may start a cell of its own there.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([;,\t\r\n]\s*)([=+\-@])")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula, wherever it splits it; numbers and a phone in E.164
    stay as they are."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    if _PHONE.match(text):
        return text
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", text)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`spreadsheet_safe`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable):
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def _headers(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An empty CSV download and the writer to fill it with."""
    response = _headers(HttpResponse(content_type="text/csv; charset=utf-8"), filename)
    response.write(BOM)
    return response, SafeWriter(response)


class _Echo:
    def write(self, value):
        return value


def streaming_csv_response(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A CSV download written row by row while it is sent, for lists too long to hold in memory."""
    writer = SafeWriter(_Echo())

    def lines():
        yield BOM
        for row in rows:
            yield writer.writerow(row)

    return _headers(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), filename)
