from datetime import date, timedelta

import factory

from contactcenter.calendars.models import CalendarOverride


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    """A day off for all branches unless told otherwise."""

    class Meta:
        model = CalendarOverride

    date = factory.Sequence(lambda n: date(2030, 1, 1) + timedelta(days=n))
    branch = None
    is_working = False
    note = "Test override"
