"""Business time from the command line, for support staff checking a deadline by hand.

    manage.py business_days --branch MSK --from 2026-11-20T15:00 --add 10
    manage.py business_days --country RU --tz Europe/Moscow --from 2026-11-20T15:00 --next-at 11:00
    manage.py business_days --branch BUD --month 2026-08

A month's list marks the shortened eves of holidays: "2025-03-07 shortened, closes 17:00".

A time without an offset is local to the branch (or to --tz). Without a branch the week is
Monday–Friday 09:00–18:00 and only the all-branches overrides apply. The command only reads.
Every bad argument, argparse's own complaints included, gives one line on stderr that starts with
"error: " and exit status 2, so that a script can tell a typo from a result.
"""

import argparse
import sys
import zoneinfo
from datetime import date, datetime, time

import holidays
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contactcenter.calendars.business_time import BusinessCalendar, load_overrides
from contactcenter.directory.models import Branch

STANDARD_WEEK = {weekday: (time(9), time(18)) for weekday in range(5)}
# About forty years: more is a typo, and scanning it would take minutes.
MAX_BUSINESS_DAYS = 10_000


def _business_day_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_BUSINESS_DAYS:
        raise argparse.ArgumentTypeError(
            _("N must be a whole number from 1 to %(max)s, not “%(value)s”")
            % {"max": MAX_BUSINESS_DAYS, "value": value}
        )
    return number


def _clock_time(value: str) -> time:
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a time of day HH:MM") % {"value": value}) from None


def _month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a month YYYY-MM") % {"value": value}) from None


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a date and time such as 2026-11-20T15:00") % {"value": value}
        ) from None


class Command(BaseCommand):
    # It only reads; a system-check warning on stderr would break the one-line error contract.
    requires_system_checks = []

    @property
    def help(self):
        # Read when the parser is built, once translations are active; argparse cannot take a lazy string.
        return _(
            "Add business days to a moment, find the next business day at a time, or list a month's business days."
        )

    def add_arguments(self, parser):
        parser.add_argument("--branch", metavar="CODE", help=_("Use this branch's zone, hours and overrides."))
        parser.add_argument("--country", metavar="CC", help=_("Public holidays of this country (with --tz)."))
        parser.add_argument("--subdiv", metavar="X", default="", help=_("Region of --country, if its holidays differ."))
        parser.add_argument("--tz", metavar="ZONE", help=_("IANA time zone, e.g. Europe/Moscow (with --country)."))
        parser.add_argument("--from", dest="start", type=_moment, metavar="LOCAL_ISO", help=_("e.g. 2026-11-20T15:00"))
        parser.add_argument(
            "--add", type=_business_day_count, metavar="N", help=_("Closing time of the N-th business day.")
        )
        parser.add_argument(
            "--next-at", type=_clock_time, metavar="HH:MM", help=_("This time on the next business day.")
        )
        parser.add_argument("--month", type=_month, metavar="YYYY-MM", help=_("List the month's business days."))

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = self._argument_error
        return parser

    def _argument_error(self, message):
        raise CommandError(message, returncode=2)

    def run_from_argv(self, argv):
        try:
            super().run_from_argv(argv)
        except CommandError as error:  # from argument parsing, which Django does outside its own handler
            if "--traceback" in argv:
                raise
            self._fail(error)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self._fail(error)

    def _fail(self, error: CommandError):
        self.stderr.write(f"error: {error}")
        sys.exit(2)

    def handle(self, *args, **options):
        operations = [name for name in ("add", "next_at", "month") if options[name] is not None]
        if len(operations) != 1:
            raise CommandError(_("give exactly one of --add N, --next-at HH:MM and --month YYYY-MM"), returncode=2)
        start = options["start"]
        if options["month"] is None and start is None:
            raise CommandError(_("--add and --next-at need --from LOCAL_ISO"), returncode=2)
        if options["month"] is not None and start is not None:
            raise CommandError(_("--from goes with --add or --next-at, not with --month"), returncode=2)
        calendar = self._calendar(options)
        try:
            lines = self._compute(calendar, options)
        except (ValueError, OverflowError) as error:
            raise CommandError(str(error), returncode=2) from error
        for line in lines:
            self.stdout.write(line)

    def _compute(self, calendar: BusinessCalendar, options) -> list[str]:
        if options["month"] is not None:
            month = options["month"]
            return [
                f"{day:%Y-%m-%d} " + _("shortened, closes %(time)s") % {"time": f"{calendar.hours_on(day)[1]:%H:%M}"}
                if calendar.is_shortened(day)
                else f"{day:%Y-%m-%d}"
                for day in calendar.business_days(month.year, month.month)
            ]
        start = options["start"]
        if start.tzinfo is None:
            start = start.replace(tzinfo=calendar.tz)
        if options["add"] is not None:
            return [calendar.add_business_days(start, options["add"]).isoformat()]
        return [calendar.next_business_day_at(start, options["next_at"]).isoformat()]

    def _calendar(self, options) -> BusinessCalendar:
        code, country = options["branch"], options["country"]
        if code and country:
            raise CommandError(_("give either --branch or --country, not both"), returncode=2)
        if code:
            if options["tz"] or options["subdiv"]:
                raise CommandError(_("--tz and --subdiv go with --country; a branch has its own"), returncode=2)
            branch = Branch.objects.filter(code=code.upper()).first()
            if branch is None:
                raise CommandError(_("unknown branch “%(code)s”") % {"code": code}, returncode=2)
            return BusinessCalendar.for_branch(branch)
        if not country:
            raise CommandError(_("give --branch CODE, or --country CC with --tz ZONE"), returncode=2)
        if not options["tz"]:
            raise CommandError(_("--country needs --tz ZONE"), returncode=2)
        country = country.upper()
        if country not in holidays.list_supported_countries():
            raise CommandError(_("unknown country “%(country)s”") % {"country": country}, returncode=2)
        if options["tz"] not in zoneinfo.available_timezones():
            raise CommandError(_("unknown time zone “%(zone)s”") % {"zone": options["tz"]}, returncode=2)
        try:
            return BusinessCalendar(
                country=country,
                subdivision=options["subdiv"],
                tz=zoneinfo.ZoneInfo(options["tz"]),
                weekly_hours=STANDARD_WEEK,
                overrides=load_overrides(None),
            )
        except ValueError:
            message = _("unknown subdivision “%(subdiv)s” of %(country)s")
            raise CommandError(message % {"subdiv": options["subdiv"], "country": country}, returncode=2) from None
