"""The browser's own date pickers (a phone's picker), for the project's forms and filters.

A native picker reads and writes only ISO (``2026-12-01``, ``2026-12-01T10:30``), whatever the language, so these
widgets render their value in ISO themselves. The language's first input format is the printed one
(``contactcenter/formats``): the admin's text date fields and their calendar popup write what the pages print.
"""

from django import forms
from django_filters.widgets import RangeWidget

ISO_DAY = "%Y-%m-%d"
ISO_MOMENT = "%Y-%m-%dT%H:%M"


class NativeDateInput(forms.DateInput):
    """A day, through the browser's date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DAY)


class NativeDateTimeInput(forms.DateTimeInput):
    """A wall-clock moment (no zone), through the browser's date-and-time picker."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_MOMENT)


class NativeDateRangeWidget(RangeWidget):
    """django-filter's "from … to" days (``<name>_min``, ``<name>_max``) as two date pickers."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (NativeDateInput, NativeDateInput), attrs)
