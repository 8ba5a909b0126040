"""Who and where: branches with their time zone and calendar, staff with their roles, teams, customers."""

import re
import zoneinfo
from collections import defaultdict
from datetime import date, datetime, time
from functools import cached_property

import holidays
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.typed_dates import check_day

from . import roles
from .phones import format_phone, phone_candidates

# The zones this machine knows, read once (``available_timezones`` walks the time-zone database on disk).
TIME_ZONE_NAMES = tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in TIME_ZONE_NAMES:
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_calendar_country(value: str) -> None:
    if value not in holidays.list_supported_countries():
        raise ValidationError(_("No public-holiday calendar is known for “%(value)s”."), params={"value": value})


def shared_zone(zones, *, fallback: zoneinfo.ZoneInfo | None = None) -> zoneinfo.ZoneInfo:
    """The one rule for the zone a reader reads times and counts days in: the zone of the branches concerned when
    they share one; otherwise ``fallback`` (the case's own branch, for a moment of one case) or UTC (a day across
    zones)."""
    if len(zones) == 1:
        return zoneinfo.ZoneInfo(next(iter(zones)))
    return fallback or zoneinfo.ZoneInfo("UTC")


class BranchScopedQuerySet(models.QuerySet):
    """The one place that decides which rows a user may see: those of the branches they work in.

    Deputy directors, administrators and superusers see every branch. Every list and detail page
    goes through ``for_user``; a model declares how it reaches its branch in ``branch_lookup``.
    """

    branch_lookup = "branch"

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_branches:
            return self
        # The ids as values, not a subquery: the planner then knows how many branches it loops over (a
        # subquery is guessed as one, and a supervisor of four branches read the clocks table four times).
        return self.filter(**{f"{self.branch_lookup}__in": user.branch_ids})


class BranchQuerySet(BranchScopedQuerySet):
    branch_lookup = "pk"

    def active(self):
        return self.filter(is_active=True)

    def shared_time_zone(self) -> zoneinfo.ZoneInfo:
        """The zone a day over these branches is counted in (a report's period): see ``shared_zone``."""
        return shared_zone(set(self.order_by().values_list("time_zone", flat=True).distinct()))

    def latest_today(self) -> date:
        """Today in the branch furthest east: a period ending there holds what happened today in each of these
        branches, also in the hours when Moscow is already a day ahead of the server's UTC."""
        zones = set(self.order_by().values_list("time_zone", flat=True).distinct())
        return max(
            (timezone.localdate(timezone=zoneinfo.ZoneInfo(zone)) for zone in zones), default=timezone.localdate()
        )


class Branch(models.Model):
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,10}$", _("Two to ten capital Latin letters, e.g. MSK."))],
        help_text=_("Short code used in register numbers, e.g. MSK."),
    )
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], help_text=_("e.g. Europe/Moscow")
    )
    country = models.CharField(
        _("calendar country"),
        max_length=2,
        validators=[validate_calendar_country],
        help_text=_("ISO code of the country whose public holidays and transferred days apply, e.g. RU."),
    )
    subdivision = models.CharField(
        _("calendar subdivision"), max_length=10, blank=True, help_text=_("Region code, if its holidays differ.")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("direct manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_branches",
    )
    deputy_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy director for sales and customer service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_for_branches",
    )
    is_active = models.BooleanField(_("active"), default=True)
    opened_on = models.DateField(
        _("opened on"),
        null=True,
        blank=True,
        help_text=_(
            "The first day the branch received customers: a complaint received before it is refused. "
            "Leave empty when unknown (then only the age limit applies)."
        ),
    )
    is_financial_organisation = models.BooleanField(
        _("financial organisation"),
        default=False,
        help_text=_("Complaints here carry the legal answer term: a written answer within 15 working days."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        help_text=_("Printed on what customers are given, e.g. +7 495 123-45-67."),
    )
    emails_customers = models.BooleanField(
        _("e-mails customers"),
        default=True,
        help_text=_(
            "Customers who agreed are told by e-mail of their complaint's number and answer date, its moves, and "
            "the agreed time of a callback. Untick to send nothing to this branch's customers."
        ),
    )
    allows_live_transfer = models.BooleanField(
        _("live transfer to a supervisor allowed"),
        default=True,
        help_text=_(
            "Operators may transfer a caller who asks for a supervisor while the call lasts; otherwise the request "
            "is recorded and the customer is called back."
        ),
    )

    # When a customer may be called, in the customer's own local time (``calendars.calling_hours``): no callback
    # falls due, no retry is planned and "Take next" offers nobody outside them. Weekends include public holidays.
    calls_weekdays_from = models.TimeField(
        _("calls on weekdays from"), default=time(8), help_text=_("In the customer's local time.")
    )
    calls_weekdays_until = models.TimeField(_("calls on weekdays until"), default=time(21))
    calls_weekends_from = models.TimeField(
        _("calls at weekends from"),
        default=time(9),
        help_text=_("In the customer's local time; public holidays count as weekends."),
    )
    calls_weekends_until = models.TimeField(_("calls at weekends until"), default=time(20))

    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(calls_weekdays_from__lt=models.F("calls_weekdays_until"))
                & models.Q(calls_weekends_from__lt=models.F("calls_weekends_until")),
                name="branch_calling_hours_in_order",
                violation_error_message=_("Calling hours must end after they start."),
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("directory:branch-detail", args=[self.code])

    def clean(self):
        super().clean()
        if self.opened_on is not None:
            try:
                check_day(self.opened_on)
            except ValidationError as error:
                raise ValidationError({"opened_on": error}) from error
        if self.subdivision and self.country:
            try:
                holidays.country_holidays(self.country, subdiv=self.subdivision)
            except NotImplementedError as error:
                message = _("“%(value)s” is not a subdivision of this country.")
                raise ValidationError(
                    {"subdivision": ValidationError(message, params={"value": self.subdivision})}
                ) from error
        for start, end in (
            ("calls_weekdays_from", "calls_weekdays_until"),
            ("calls_weekends_from", "calls_weekends_until"),
        ):
            opens, closes = getattr(self, start), getattr(self, end)
            if opens is not None and closes is not None and opens >= closes:
                raise ValidationError({end: _("Calling hours must end after they start.")})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.tz)


class WeeklyHours(models.Model):
    """Working hours on one weekday, with an optional break (09:00–13:00 and 14:00–18:00)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"), default=time(9))
    closes = models.TimeField(_("closes"), default=time(18))
    break_starts = models.TimeField(
        _("break from"), null=True, blank=True, help_text=_("Leave both break times empty for a day without a break.")
    )
    break_ends = models.TimeField(_("break until"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(break_starts__isnull=True, break_ends__isnull=True)
                | models.Q(
                    break_starts__gt=models.F("opens"),
                    break_ends__gt=models.F("break_starts"),
                    closes__gt=models.F("break_ends"),
                ),
                name="%(app_label)s_%(class)s_break_inside_the_day",
            ),
        ]

    def __str__(self):
        text = f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
        if self.break_starts and self.break_ends:
            text += " " + _("(break %(starts)s–%(ends)s)") % {
                "starts": f"{self.break_starts:%H:%M}",
                "ends": f"{self.break_ends:%H:%M}",
            }
        return text

    @property
    def intervals(self) -> tuple[tuple[time, time], ...]:
        """The day's working intervals: one, or two around the break."""
        if self.break_starts is None or self.break_ends is None:
            return ((self.opens, self.closes),)
        return ((self.opens, self.break_starts), (self.break_ends, self.closes))

    @property
    def intervals_text(self) -> str:
        """ "09:00–13:00 14:00–18:00": what the audit trail and the calendar's basis compare."""
        return " ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in self.intervals)

    def clean(self):
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        starts, ends = self.break_starts, self.break_ends
        if (starts is None) != (ends is None):
            raise ValidationError({"break_ends" if starts else "break_starts": _("Give both ends of the break.")})
        if starts is not None and not (self.opens < starts < ends < self.closes):
            raise ValidationError(
                {"break_starts": _("The break must start after opening, end after it starts, and end before closing.")}
            )


class WorkingHours(WeeklyHours):
    """A branch's opening hours on one weekday; a weekday with no row is a day off."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="working_hours")

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["branch", "weekday"]
        constraints = [
            *WeeklyHours.Meta.constraints,
            models.UniqueConstraint(fields=["branch", "weekday"], name="working_hours_one_row_per_weekday"),
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="working_hours_opens_first"),
        ]


def _branch_keys(branch) -> list | models.QuerySet:
    """The keys of one branch (a Branch or its key) or of several (an iterable or a queryset of either)."""
    if isinstance(branch, models.QuerySet):
        return branch.values("pk") if branch.model is Branch else branch
    if isinstance(branch, Branch | int):
        branch = [branch]
    return [item.pk if isinstance(item, Branch) else item for item in branch]


class StaffQuerySet(models.QuerySet):
    """The one way to ask for staff by role and branch. Only active staff hold a role: a deactivated person is
    offered in no form, is told nothing and is given nothing."""

    def active(self):
        return self.filter(is_active=True)

    def holding(self, *role_names: str, branch=None):
        """Active staff who hold one of ``role_names`` and work in ``branch`` (a branch or its key, or several of
        either; ``None``: anywhere). The conditions are one ``filter()``, so a ``values_list("branches",
        "groups__name")`` after it reads the very membership and role that matched."""
        condition = models.Q(is_active=True, groups__name__in=role_names)
        if branch is not None:
            condition &= models.Q(branches__in=_branch_keys(branch))
        return self.filter(condition).distinct()

    def by_name(self):
        return self.order_by("last_name", "first_name", "username")

    def holders_by_branch(self, *role_names: str, branch) -> dict[tuple[int, str], set[int]]:
        """``holding`` for several branches in one query: ``{(branch key, role name): {user keys}}``."""
        found = defaultdict(set)
        rows = self.holding(*role_names, branch=branch).values_list("pk", "branches", "groups__name")
        for user_id, branch_id, role in rows:
            found[branch_id, role].add(user_id)
        return found

    def supervisors_by_branch(self, branch) -> dict[int, set[int]]:
        """The supervisors of each branch: the active staff of the branch who hold the Supervisor role, and the
        active supervisors of its teams, whatever their role (whoever leads a team supervises it)."""
        found = defaultdict(set)
        for (branch_id, _role), user_ids in self.holders_by_branch(roles.SUPERVISOR, branch=branch).items():
            found[branch_id] |= user_ids
        leads = Team.objects.filter(branch__in=_branch_keys(branch), supervisor__is_active=True)
        for branch_id, user_id in leads.values_list("branch_id", "supervisor_id"):
            found[branch_id].add(user_id)
        return found


class StaffManager(UserManager.from_queryset(StaffQuerySet)):
    # Migrations keep Django's plain manager: none of them needs these selectors, and a migration that named
    # this class would import the live models module forever.
    use_in_migrations = False


class User(AbstractUser):
    """A member of staff. Roles are auth groups (see ``roles``); branches say where they work."""

    branches = models.ManyToManyField(Branch, verbose_name=_("branches"), blank=True, related_name="staff")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ru",
        help_text=_("Language of the pages and of the e-mails this person receives."),
    )

    objects = StaffManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        # Through .all() so that a prefetch of groups is used when a list page made one.
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, *names: str) -> bool:
        return self.is_superuser or bool(self.role_names.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS.get(name, name)) for name in sorted(self.role_names)]

    @cached_property
    def branch_ids(self) -> list[int]:
        """The user's branches' keys, read once per request (the user object lives as long as the request)."""
        return list(self.branches.order_by("pk").values_list("pk", flat=True))

    @cached_property
    def branch_time_zones(self) -> frozenset[str]:
        """The time zones of the user's branches, read once per request: the zone a page shows moments in."""
        return frozenset(self.branches.order_by().values_list("time_zone", flat=True).distinct())

    def reading_zone(self, *, fallback: zoneinfo.ZoneInfo | None = None) -> zoneinfo.ZoneInfo:
        """The zone this user reads times and counts their day in (``shared_zone`` over their branches)."""
        return shared_zone(self.branch_time_zones, fallback=fallback)

    @cached_property
    def sees_all_branches(self) -> bool:
        return self.is_superuser or bool(self.role_names & roles.ALL_BRANCH_ROLES)


class TeamQuerySet(BranchScopedQuerySet):
    pass


class Team(models.Model):
    """A branch's group of operators led by a supervisor, with the hours it works (its schedule).

    A callback's clock counts in its team's schedule (``callbacks.services.callback_team``); a team on the
    branch's schedule counts in the branch's business hours.
    """

    class Schedule(models.TextChoices):
        BRANCH = "branch", _("the branch's working hours")
        AROUND_THE_CLOCK = "around_the_clock", _("around the clock (24/7)")
        OWN = "own", _("its own hours per weekday")

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="teams"
    )
    schedule = models.CharField(
        _("schedule"),
        max_length=16,
        choices=Schedule.choices,
        default=Schedule.BRANCH,
        help_text=_(
            "The hours in which the team's callback clocks count. With its own hours, the branch's holidays, "
            "transferred days and shortened eves still apply; around the clock, none do."
        ),
    )
    takes_branch_queue = models.BooleanField(
        _("works the branch queue"),
        default=False,
        help_text=_(
            "Callbacks waiting in the branch queue (no operator yet) count in this team's schedule. "
            "One team per branch."
        ),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["branch__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="team_name_unique_in_branch"),
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(takes_branch_queue=True),
                name="team_one_branch_queue_team",
                violation_error_message=_("Another team of this branch already works the branch queue."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.branch.code})"


class TeamHours(WeeklyHours):
    """A team's working hours on one weekday (a team on its own schedule); a weekday with no row is a day off."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="hours")

    class Meta:
        verbose_name = _("team hours")
        verbose_name_plural = _("team hours")
        ordering = ["team", "weekday"]
        constraints = [
            *WeeklyHours.Meta.constraints,
            models.UniqueConstraint(fields=["team", "weekday"], name="team_hours_one_row_per_weekday"),
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="team_hours_opens_first"),
        ]


# The language of a branch's customers when they chose none (the product speaks English and Russian).
COUNTRY_LANGUAGES = {"RU": "ru", "BY": "ru", "KZ": "ru", "KG": "ru"}


def customer_language(branch) -> str:
    return COUNTRY_LANGUAGES.get(branch.country, settings.LANGUAGE_CODE)


# A word of a name as the search reads it: letters and digits of any alphabet ("O'Brien" is "O" and "Brien").
NAME_WORD = re.compile(r"\w+")
# Where a word of a name begins on SQLite, which has no word search (PostgreSQL's parser knows them all).
WORD_SEPARATORS = (" ", "-", "'", "’", ".", ",", "(", '"', "+", "/")


class NameWords(models.Func):
    """The words of a customer's name as PostgreSQL's full-text search reads them, with the ``simple``
    configuration (lower case, no stemming, no stop words). Written exactly as the GIN index of migration
    ``directory/0009`` is, so that PostgreSQL reads that index."""

    function = "to_tsvector"
    template = "to_tsvector('simple'::regconfig, %(expressions)s)"

    def __init__(self, expression, **extra):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(expression, output_field=SearchVectorField(), **extra)


def name_words_query(words: list[str]):
    """Every word of the query begins a word of the name: ``'smirn':* & 'iv':*``. The words are letters and
    digits only (``NAME_WORD``), so nothing in them can change the query's syntax."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(" & ".join(f"'{word.lower()}':*" for word in words), search_type="raw", config="simple")


class CustomerQuerySet(BranchScopedQuerySet):
    def for_user(self, user):
        """The customers of the user's branches, without the records merged into another (``Customer.merged_into``:
        those live on only to lead their old number and links to the record kept)."""
        return super().for_user(user).filter(merged_into__isnull=True)

    def merged_for_user(self, user):
        """The records of the user's branches merged into another: their old links lead to the record kept."""
        return super().for_user(user).filter(merged_into__isnull=False)

    def search(self, query: str, regions):
        """Customers whose name has words beginning with each word of ``query`` ("smirn iv" finds "Ivan
        Smirnov"), or whose phone is ``query`` in any spelling, or holds its digits."""
        query = (query or "").strip()
        if not query:
            return self
        # Each condition only where it can match: a query of digits and marks alone is a phone, an address has an
        # "@", a name has neither; reading every name for a phone would cost a scan of the whole table (or of
        # its trigram index) for nothing, and on PostgreSQL each branch of the OR needs an index of its own.
        queryset, condition = self, models.Q(pk__in=[])
        if "@" in query:
            condition |= models.Q(email__iexact=query)
        elif any(ch.isalpha() for ch in query):
            queryset, by_name = self._name_words(query)
            condition |= by_name
        phones = phone_candidates(query, regions)
        if phones:
            condition |= models.Q(phone__in=phones)
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 4:
            # A fragment of a number, e.g. its last digits, read off a screen.
            condition |= models.Q(phone__contains=digits)
        return queryset.filter(condition, merged_into__isnull=True)

    def _name_words(self, query: str):
        """The condition "each word of the query begins a word of the name". PostgreSQL reads it from a GIN
        index of the name's words: a common surname (3 753 Smirnovs of 100 000 customers) takes a few
        milliseconds, where a substring search (``icontains``) read every name. SQLite, with its few rows,
        compares the start of the name and of each word after a space, a hyphen, an apostrophe or another mark."""
        words = NAME_WORD.findall(query)
        if not words:
            return self, models.Q(pk__in=[])
        if connections[self.db].vendor == "postgresql":
            return self.alias(name_words=NameWords("full_name")), models.Q(name_words=name_words_query(words))
        condition = models.Q()
        for word in words:
            starts = models.Q(full_name__istartswith=word)
            for separator in WORD_SEPARATORS:
                starts |= models.Q(full_name__icontains=separator + word)
            condition &= starts
        return self, condition


class Customer(models.Model):
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="customers")
    full_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16, help_text=_("Stored in E.164, e.g. +74951234567."))
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Of the e-mails and printed papers; empty: the language of the branch's country."),
    )
    email_consent = models.BooleanField(
        _("agrees to e-mails"),
        default=False,
        help_text=_("The customer agreed to be told by e-mail about their complaints and callbacks."),
    )
    email_consent_at = models.DateTimeField(_("agreed to e-mails on"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Where the customer is, when not in the branch's zone, e.g. Asia/Yekaterinburg."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What every colleague should know before calling."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # a partial index below: nearly every row is NULL, and nothing looks those up
        related_name="merged_records",
        help_text=_(
            "A second record of the same person, merged into this one: it holds no case any more, and its number "
            "and its links lead to the record kept."
        ),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True, editable=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["full_name"]
        permissions = [("merge_customer", "Can merge two records of the same customer")]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "phone"],
                name="customer_phone_unique_in_branch",
                violation_error_message=_("A customer with this phone number is already registered in this branch."),
            )
        ]
        indexes = [
            models.Index(fields=["phone"], name="customer_phone_idx"),
            models.Index(
                fields=["merged_into"], name="customer_merged_into_idx", condition=models.Q(merged_into__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.phone_display})"

    def get_absolute_url(self):
        return reverse("directory:customer-detail", args=[self.pk])

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def language(self) -> str:
        """The language the customer is written to in: their own, or that of their branch's country."""
        return self.preferred_language or customer_language(self.branch)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The customer's time zone, or their branch's."""
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else self.branch.tz

    @property
    def may_be_emailed(self) -> bool:
        """An address, the customer's consent, and a branch that e-mails its customers."""
        return bool(self.email and self.email_consent and self.branch.emails_customers)
