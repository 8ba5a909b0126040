"""When to try an unreachable customer again: after the reason's pause, within working hours and the customer's
calling hours (``calendars.calling_hours``: never at night where the customer is), and, if the reason asks for
it, at a part of the customer's day not tried yet (someone out every morning may answer at 16:00)."""

from datetime import datetime

from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.calendars.calling_hours import earliest_call_at
from contactcenter.directory.zones import customer_zone

from .models import Callback, ContactAttempt

# Local hour at which each part of the day starts.
PARTS_OF_DAY = ((0, "morning"), (12, "midday"), (15, "afternoon"))
# How far to move a try that falls in a part of the day already tried, in working hours.
STEP_HOURS = 2


def part_of_day(moment: datetime, tz) -> str:
    hour = moment.astimezone(tz).hour
    return [name for start, name in PARTS_OF_DAY if hour >= start][-1]


def retry_wait(callback: Callback, *, now: datetime) -> datetime | None:
    """The planned retry before which another missed attempt may not be logged: the next contact due, while the
    last attempt missed the customer and that moment is still ahead. So three "no answer" logged within two
    seconds never make a customer "unreachable": the attempts are spread as the retries plan them."""
    if callback.next_contact_at is None or now >= callback.next_contact_at:
        return None
    last = callback.attempts.order_by("-at", "-pk").values_list("outcome", flat=True).first()
    return callback.next_contact_at if last in ContactAttempt.NOT_REACHED else None


def next_try_at(*, callback: Callback, after: datetime, calendar: BusinessCalendar) -> datetime:
    reason = callback.reason

    def callable_from(moment: datetime) -> datetime:
        return earliest_call_at(moment, customer=callback.customer, branch=callback.branch, calendar=calendar)

    candidate = callable_from(after + reason.retry_pause)
    if not reason.vary_time_of_day:
        return candidate
    tz = customer_zone(callback.customer, callback.branch)
    tried = {
        part_of_day(at, tz)
        for at in callback.attempts.filter(outcome__in=ContactAttempt.NOT_REACHED).values_list("at", flat=True)
    }
    if len(tried) >= len(PARTS_OF_DAY):
        return candidate
    # Bounded: three parts of the day, each step moves at least two working hours on.
    for _ in range(len(PARTS_OF_DAY) * 3):
        if part_of_day(candidate, tz) not in tried:
            break
        candidate = callable_from(calendar.add_business_hours(candidate, STEP_HOURS))
    return candidate
