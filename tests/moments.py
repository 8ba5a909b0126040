"""Wall-clock moments in the demo branches' zones, for tests that read like the rules they check."""

from datetime import datetime
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow(*args) -> datetime:
    """``moscow(2026, 11, 20, 15, 0)``: Friday 20 November 2026, 15:00 in Moscow."""
    return datetime(*args, tzinfo=MOSCOW)
