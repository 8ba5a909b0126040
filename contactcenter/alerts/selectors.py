"""What the pages read of the outbox."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from contactcenter.deadlines.models import Deadline
from contactcenter.formats import moment_text

from .models import Alert, MailServerStatus


@dataclass(frozen=True)
class MailOutage:
    since: datetime
    waiting: int
    zone: str

    @property
    def since_local(self) -> str:
        """The moment in the reader's zone (that of the first branch they work in), as the pages write it."""
        return moment_text(self.since, zoneinfo.ZoneInfo(self.zone))


def mail_outage_for(user) -> MailOutage | None:
    """The mail server's outage as the user sees it (with the alerts of their branches waiting), or None."""
    status = MailServerStatus.outage()
    if status is None:
        return None
    waiting = Alert.objects.unsent().filter(deadline__in=Deadline.objects.for_user(user)).count()
    zone = user.branches.order_by("pk").values_list("time_zone", flat=True).first() or settings.TIME_ZONE
    return MailOutage(since=status.down_since, waiting=waiting, zone=zone)


# Who reads the mail server's own words when a message failed: administrators, who may change alerts and
# e-mails (and send them again). Everyone else is told it plainly: the raw text can name hosts and accounts.
MAIL_ERROR_READERS = ("alerts.change_alert", "alerts.change_outboundemail")


def may_read_mail_errors(user) -> bool:
    return user.is_authenticated and user.has_perms(MAIL_ERROR_READERS)
