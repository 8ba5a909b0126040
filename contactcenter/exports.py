"""CSV downloads: one way for every list and report to hand a spreadsheet over.

A download is a list of :class:`Column` (a translated header and how to read the cell from a row) and the rows,
streamed while it is sent (:func:`csv_download`), so that a list of a million rows is never held in memory.
Times are written by the one formatter of every page and e-mail (``contactcenter.formats.moment_text``, through
:func:`local_time`), in the reader's language, in the zone of the row's branch (:func:`branch_time`):
a case's moments are kept in its branch's day (the answer due at 18:00 there, forwarding by 11:00 there), and
the pages show them the same way. A filter that is not valid refuses the download (:func:`refused_download`)
rather than export every row.

The separator is the one the reader's spreadsheet expects: ``;`` for a Russian reader (Russian Excel splits on
it, and reads ``50,5`` as a number), ``,`` otherwise; ``?sep=semicolon`` or ``?sep=comma`` chooses it outright
(:func:`csv_separator`). Yes/no cells are words in the reader's language.

Each file starts with a byte-order mark so that spreadsheet programs read it as UTF-8 (Cyrillic names
survive a double-click), is never kept in a shared cache (it holds customers' names and phones), and has
every text cell made safe from being run as a formula: names, summaries and reasons are typed by people.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from contactcenter.formats import moment_text
from contactcenter.reference_labels import reading_scope

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+\d{4,15}$")
# A spreadsheet set up for another separator (";" in Russian Excel) splits a cell where this file does not:
# what follows a separator inside a cell may start a cell of its own there.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([;,\t\r\n]\s*)([=+\-@])")


@dataclass(frozen=True)
class Column:
    """One column of a download: its header (translated lazily, so a module-level list is read in the
    reader's language) and the cell of a row."""

    header: Any
    value: Callable[[Any], Any]


def local_time(moment: datetime | None, zone: tzinfo) -> str:
    """The moment as the pages write it in the reader's language (``16.11.2026 10:00``), in ``zone``; empty when
    there is none."""
    return moment_text(moment, zone)


def branch_time(attribute: str) -> Callable[[Any], str]:
    """The cell of a moment of a row that has a branch, in that branch's zone."""
    return lambda row: local_time(getattr(row, attribute), row.branch.tz)


SEPARATORS = {"comma": ",", "semicolon": ";"}
# Languages whose spreadsheets split on ";" and write the decimal comma.
SEMICOLON_LANGUAGES = frozenset({"ru", "hu"})


class BadSeparator(ValueError):
    pass


def csv_separator(request) -> str:
    """The separator the download uses: ``?sep=`` when given (``comma`` or ``semicolon``), else the one of the
    reader's language. Raises :class:`BadSeparator` for any other ``sep``."""
    asked = request.GET.get("sep") if request is not None else None
    if asked:
        if asked not in SEPARATORS:
            raise BadSeparator(asked)
        return SEPARATORS[asked]
    language = (translation.get_language() or "").split("-")[0]
    return ";" if language in SEMICOLON_LANGUAGES else ","


def spreadsheet_safe(value, *, decimal_comma: bool = False):
    """A cell a spreadsheet will not run as a formula, wherever it splits it; numbers and a phone in E.164
    stay numbers (with a decimal comma where the reader's spreadsheet wants one), yes/no are words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and decimal_comma:
        return str(value).replace(".", ",")
    if isinstance(value, int | float):
        return value
    text = str(value)
    if _PHONE.match(text):
        return text
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", text)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


class _Echo:
    def write(self, value):
        return value


def csv_download(
    filename: str, columns: Sequence[Column], rows: Iterable, *, request=None
) -> StreamingHttpResponse | HttpResponseBadRequest:
    """The rows as a CSV download, one line per row written while it is sent; pass a queryset's
    ``.iterator()`` so that the rows are read from the database in chunks too. ``request`` chooses the
    separator (:func:`csv_separator`); a ``sep`` it does not know refuses the download."""
    try:
        separator = csv_separator(request)
    except BadSeparator:
        return HttpResponseBadRequest(
            _("Choose the separator “comma” or “semicolon”; nothing was exported.") + "\n",
            content_type="text/plain; charset=utf-8",
        )
    writer = csv.writer(_Echo(), delimiter=separator)
    decimal_comma = separator == ";"
    language = translation.get_language()

    def lines():
        # The server reads this after the view has returned: keep the language the request asked for.
        with translation.override(language), reading_scope():
            yield BOM
            yield writer.writerow([spreadsheet_safe(str(column.header)) for column in columns])  # labels from the admin
            for row in rows:
                yield writer.writerow(
                    [spreadsheet_safe(column.value(row), decimal_comma=decimal_comma) for column in columns]
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def refused_download(form) -> HttpResponseBadRequest:
    """A filter that is not valid: 400 with what is wrong, and no row. Plain text, since Django's messages
    repeat the refused value and as HTML a link could plant a script in them."""
    lines = [_("The filters are not valid; nothing was exported.")]
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        prefix = f"{field.label}: " if field is not None and field.label else ""
        lines.extend(f"{prefix}{error}" for error in errors)
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
