"""One table for every clock of every case, and the policy of each kind of clock."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.directory.models import BranchScopedQuerySet
from contactcenter.reference_labels import TranslatedLabels


class Recipient(models.TextChoices):
    """Who may be told about a clock; resolved per branch when an alert is made."""

    OWNER = "owner", _("the clock's owner (supervisors when nobody owns it)")
    SUPERVISORS = "supervisors", _("the branch's supervisors")
    HEAD_OF_DEPARTMENT = "head_of_department", _("the branch's heads of department")
    BRANCH_MANAGER = "branch_manager", _("the branch's direct manager")
    DEPUTY_DIRECTOR = "deputy_director", _("the deputy director for sales and customer service")
    SECURITY = "security", _("the branch's security staff")


class Level(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    LONG_OVERDUE = "long_overdue", _("overdue for long")


def validate_recipients(value):
    if not isinstance(value, list) or not set(value) <= set(Recipient.values):
        raise ValidationError(_("Choose among: %(choices)s."), params={"choices": ", ".join(Recipient.values)})


class ClockPolicy(TranslatedLabels):
    """How one kind of clock warns, and who hears of it at each level. Edited in the admin."""

    kind = models.SlugField(_("kind"), max_length=64, unique=True)
    label = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    warn_share = models.FloatField(
        _("warn at share of the time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("e.g. 0.75: due soon once three quarters of the time has passed."),
    )
    warn_lead = models.DurationField(
        _("warn this long before"),
        null=True,
        blank=True,
        help_text=_("A fixed lead, e.g. 00:10:00 for ten minutes before a promised call. Wins over the share."),
    )
    long_overdue_after = models.DurationField(
        _("overdue for long after"), default=timedelta(hours=24), help_text=_("Then the managers are told.")
    )
    remind_every = models.DurationField(
        _("remind every"),
        default=timedelta(hours=2),
        help_text=_("While overdue, remind again at this interval, within the branch's working hours."),
    )
    due_soon_recipients = models.JSONField(
        _("told when due soon"), default=list, blank=True, validators=[validate_recipients]
    )
    overdue_recipients = models.JSONField(
        _("told when overdue"), default=list, blank=True, validators=[validate_recipients]
    )
    long_overdue_recipients = models.JSONField(
        _("told when overdue for long"), default=list, blank=True, validators=[validate_recipients]
    )
    may_pause = models.BooleanField(
        _("may be paused"),
        default=True,
        # Also in the database: the data migrations that wrote policies before this field existed still run.
        db_default=True,
        editable=False,
        help_text=_(
            "Set by the app that defines the clock, not in the admin: a legal term (442-FZ) may never be paused."
        ),
    )

    class Meta:
        verbose_name = _("clock policy")
        verbose_name_plural = _("clock policies")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remind_every__gt=timedelta(minutes=1)), name="policy_remind_every_over_a_minute"
            )
        ]

    def recipients_for(self, level: str) -> list[str]:
        return {
            Level.DUE_SOON: self.due_soon_recipients,
            Level.OVERDUE: self.overdue_recipients,
            Level.LONG_OVERDUE: self.long_overdue_recipients,
        }[level]

    def warn_at_for(self, opened_at, due_at):
        """When a clock running from ``opened_at`` to ``due_at`` becomes due soon."""
        if self.warn_lead is not None:
            warn_at = due_at - self.warn_lead
        elif self.warn_share is not None:
            warn_at = opened_at + (due_at - opened_at) * self.warn_share
        else:
            warn_at = due_at
        return min(max(warn_at, opened_at), due_at)


class DeadlineQuerySet(BranchScopedQuerySet):
    def open(self):
        return self.filter(state__in=Deadline.OPEN_STATES)

    def needing_attention(self):
        return self.filter(state__in=Deadline.ATTENTION_STATES)

    def due_before(self, moment):
        return self.filter(due_at__lt=moment)

    def for_case(self, case):
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)

    def most_urgent_first(self):
        return self.order_by("due_at", "pk")

    def with_untold_notice(self):
        """Each clock with ``untold_notice`` (the id of its moved moment the customer has still to be told, or
        None) and ``told_due_at`` (the moment they were given)."""
        untold = DueMoveNotice.objects.filter(deadline=models.OuterRef("pk"), told_at=None)
        return self.annotate(
            untold_notice=models.Subquery(untold.values("pk")[:1]),
            told_due_at=models.Subquery(untold.values("told_due_at")[:1]),
        )


class Deadline(models.Model):
    """One clock of one case: opened, possibly moved or paused, then met or cancelled.

    Change it only through ``deadlines.services``; the scan moves ``state`` from on track to due soon
    to overdue with conditional updates.
    """

    class State(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        MET = "met", _("met")
        CANCELLED = "cancelled", _("cancelled")
        # Ended without the promise kept: the case went another way before anyone kept it (an escalation turned
        # into a complaint without the call back). Counted in "promises kept" as a promise broken.
        NOT_KEPT = "not_kept", _("ended, not kept")

    OPEN_STATES = (State.ON_TRACK, State.DUE_SOON, State.OVERDUE)
    # The open states someone must act on now: what "Needs attention" and the queues show.
    ATTENTION_STATES = (State.DUE_SOON, State.OVERDUE)

    # The composite indexes in Meta lead with content type, branch and owner: single-column indexes on
    # them would only add work to every state change the scan writes.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    kind = models.SlugField(_("kind"), max_length=64, db_index=False)
    title = models.CharField(_("case"), max_length=300, help_text=_("How the case is named in lists and e-mails."))
    case_url = models.CharField(_("link"), max_length=300, blank=True)
    branch = models.ForeignKey(
        "directory.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="deadlines", db_index=False
    )
    team = models.ForeignKey(
        "directory.Team",
        verbose_name=_("counted in the hours of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        help_text=_("Empty: the branch's business calendar."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    warn_at = models.DateTimeField(_("due soon from"))
    rule = models.JSONField(
        _("rule"), default=dict, blank=True, help_text=_("How the due moment was computed; used to recompute it.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ON_TRACK)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    met_late = models.BooleanField(_("met late"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it ended"), blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.TextField(_("reason for the pause"), blank=True)
    paused_total = models.DurationField(_("time paused"), default=timedelta)
    round = models.PositiveIntegerField(
        _("round"), default=1, help_text=_("Goes up when the clock is moved, so that its alerts are given again.")
    )
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    long_overdue_at = models.DateTimeField(_("overdue for long since"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(_("reminders"), default=0)
    promised_to_customer = models.BooleanField(
        _("told to the customer"),
        default=False,
        db_default=False,
        help_text=_(
            "The customer was given this moment (an answer date, an agreed time): when it moves, they must be "
            "told the new one."
        ),
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        permissions = [("pause_deadline", _("Can pause and resume clocks, with a reason"))]
        indexes = [
            # The scan reads only open rows: these partial indexes stay as small as the open work.
            models.Index(
                fields=["state", "warn_at"], name="deadline_warn_open_idx", condition=models.Q(state="on_track")
            ),
            models.Index(
                fields=["state", "due_at"],
                name="deadline_due_open_idx",
                condition=models.Q(state__in=["on_track", "due_soon", "overdue"]),
            ),
            models.Index(
                fields=["next_reminder_at"],
                name="deadline_reminder_idx",
                condition=models.Q(state="overdue"),
            ),
            # Overdue clocks not yet overdue for long: read by the per-kind step of the scan.
            models.Index(
                fields=["kind", "due_at"],
                name="deadline_long_overdue_idx",
                condition=models.Q(state="overdue", long_overdue_at__isnull=True, paused_at__isnull=True),
            ),
            models.Index(fields=["content_type", "object_id"], name="deadline_case_idx"),
            models.Index(fields=["branch", "state", "due_at"], name="deadline_branch_state_idx"),
            models.Index(fields=["owner", "state", "due_at"], name="deadline_owner_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=models.Q(state__in=["on_track", "due_soon", "overdue"]),
                name="deadline_one_open_clock_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(warn_at__lte=models.F("due_at")), name="deadline_warn_before_due"
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.kind}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def time_left(self, now=None):
        """Signed time to the due moment (negative when overdue); frozen while paused."""
        return self.due_at - (self.paused_at or now or timezone.now())


class DueMoveNoticeQuerySet(BranchScopedQuerySet):
    branch_lookup = "deadline__branch"

    def untold(self):
        return self.filter(told_at=None)


class DueMoveNotice(models.Model):
    """A moment the customer was given has moved: "tell the customer the new date", until someone records that
    they were told (``told_by``) or the e-mail telling them was accepted by the mail server (``told_by_email``).

    One untold notice per clock: a second move before the customer was told changes its new moment and keeps
    the one they were given (``told_due_at``). ``email_id`` names the e-mail queued for this move (the
    outbox's ``OutboundEmail``; a plain number because the outbox sits above the clocks)."""

    class Cause(models.TextChoices):
        MOVED = "moved", _("moved")
        RESUMED = "resumed", _("resumed after a pause")
        RECOMPUTED = "recomputed", _("the business calendar changed")

    class Told(models.TextChoices):
        STAFF = "staff", _("by a member of staff")
        EMAIL = "email", _("by e-mail")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="move_notices"
    )
    told_due_at = models.DateTimeField(_("the moment the customer was given"))
    new_due_at = models.DateTimeField(_("the new moment"))
    moved_at = models.DateTimeField(_("moved"))
    cause = models.CharField(_("why it moved"), max_length=16, choices=Cause.choices)
    email_id = models.PositiveBigIntegerField(_("e-mail"), null=True, blank=True)
    told_at = models.DateTimeField(_("customer told"), null=True, blank=True)
    told_how = models.CharField(_("told"), max_length=8, choices=Told.choices, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DueMoveNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("new date to tell the customer")
        verbose_name_plural = _("new dates to tell the customers")
        ordering = ["moved_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"], condition=models.Q(told_at=None), name="due_move_notice_one_untold_per_clock"
            )
        ]
        indexes = [models.Index(fields=["email_id"], name="due_move_notice_email_idx")]

    def __str__(self):
        return f"{self.deadline} · {self.new_due_at:%Y-%m-%d %H:%M}"

    @property
    def is_told(self) -> bool:
        return self.told_at is not None

    @property
    def change_permission(self) -> str:
        """Who may change the case may record that its customer was told."""
        content_type = self.deadline.content_type
        return f"{content_type.app_label}.change_{content_type.model}"


class PauseReasonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class PauseReason(TranslatedLabels):
    """Why a clock may stand still (waiting for the customer's documents…): the list a supervisor picks from,
    edited in the admin. A reason is retired by deactivating it: past pauses keep their text."""

    label = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200, unique=True)
    needs_note = models.BooleanField(
        _("needs a note"),
        default=False,
        help_text=_("The supervisor must complete it in words, e.g. until when the customer is abroad."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    objects = PauseReasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("reason for a pause")
        verbose_name_plural = _("reasons for a pause")
        ordering = ["position", "label"]


class ClockPause(models.Model):
    """One pause of a clock, kept for reports: why, who, from when to when."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("paused"))
    ended_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paused by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resumed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.deadline} · {self.reason}"


class ScanStatus(models.Model):
    """When the scan last finished and how long it took (one row): the readiness check and the metrics read
    it to tell that beat and the scan's worker are alive."""

    ROW = 1

    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    changed = models.PositiveIntegerField(_("clocks changed"), default=0)

    class Meta:
        verbose_name = _("scan status")
        verbose_name_plural = _("scan status")

    def __str__(self):
        return str(_("deadline scan"))

    @classmethod
    def record(cls, *, finished_at, duration_seconds: float, changed: int) -> None:
        """One statement (an upsert), whether the row exists or not, and safe when two scans finish at once."""
        cls.objects.bulk_create(
            [cls(pk=cls.ROW, finished_at=finished_at, duration_seconds=duration_seconds, changed=changed)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["finished_at", "duration_seconds", "changed"],
        )

    @classmethod
    def last(cls) -> ScanStatus | None:
        return cls.objects.filter(pk=cls.ROW, finished_at__isnull=False).first()
