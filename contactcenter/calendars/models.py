"""Days on which the calendar differs from the weekly hours and the public-holiday package.

The ``holidays`` package knows the published holidays and transferred days; an override covers
what it does not know yet (a transfer announced late, a branch closed for a local reason).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.directory.models import Branch
from contactcenter.formats import day_text
from contactcenter.typed_dates import check_day


class CalendarRegion(models.Model):
    """A region with days off of its own (Tatarstan, Bashkortostan), and the branches that keep them."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200, unique=True)
    branches = models.ManyToManyField(
        Branch,
        verbose_name=_("branches"),
        blank=True,
        related_name="calendar_regions",
        help_text=_("The branches whose calendars add this region's days off."),
    )

    class Meta:
        verbose_name = _("calendar region")
        verbose_name_plural = _("calendar regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CalendarOverrideQuerySet(models.QuerySet):
    def applying_to(self, branch: Branch | None):
        """The overrides that a branch's calendar uses: its own, its regions' and the all-branches ones.

        With ``None``, only the all-branches ones (a calendar built without a branch row).
        """
        general = models.Q(branch__isnull=True, region__isnull=True)
        if branch is None:
            return self.filter(general)
        return self.filter(general | models.Q(branch=branch) | models.Q(region__branches=branch)).distinct()


class CalendarOverride(models.Model):
    """One date made a working day (with its hours) or a day off, for one branch, a region's branches (a
    regional holiday such as Uraza Bayram in Tatarstan) or all of them.

    A branch's own override wins over its region's, which wins over an all-branches one; all of them win
    over the ``holidays`` package.
    """

    date = models.DateField(_("date"))
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Leave empty to apply the override to all branches."),
    )
    region = models.ForeignKey(
        CalendarRegion,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="overrides",
        help_text=_("A regional holiday: the day applies to the region's branches. Leave the branch empty then."),
    )
    is_working = models.BooleanField(_("working day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True, help_text=_("Required on a working day."))
    closes = models.TimeField(_("closes"), null=True, blank=True, help_text=_("Required on a working day."))
    note = models.TextField(_("note"), blank=True, help_text=_("Why this day differs, e.g. the decree number."))

    objects = CalendarOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date", "branch__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "branch"],
                condition=models.Q(branch__isnull=False),
                name="calendar_override_one_per_branch_day",
                violation_error_message=_("This branch already has an override for this date."),
            ),
            models.UniqueConstraint(
                fields=["date", "region"],
                condition=models.Q(region__isnull=False),
                name="calendar_override_one_per_region_day",
                violation_error_message=_("This region already has an override for this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(branch__isnull=True) | models.Q(region__isnull=True),
                name="calendar_override_branch_or_region",
                violation_error_message=_("Choose a branch or a region, not both."),
            ),
            # NULLs are distinct in a plain unique index, so the all-branches rows need their own.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(branch__isnull=True, region__isnull=True),
                name="calendar_override_one_all_branches_day",
                violation_error_message=_("There is already an all-branches override for this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_working=False) | models.Q(opens__isnull=False, closes__isnull=False),
                name="calendar_override_hours_on_working_day",
            ),
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True)
                | models.Q(closes__isnull=True)
                | models.Q(opens__lt=models.F("closes")),
                name="calendar_override_opens_first",
            ),
        ]

    def __str__(self):
        where = self.branch.code if self.branch_id else self.region.name if self.region_id else _("all branches")
        if self.is_working and self.opens and self.closes:
            what = _("working %(opens)s–%(closes)s") % {
                "opens": f"{self.opens:%H:%M}",
                "closes": f"{self.closes:%H:%M}",
            }
        else:
            what = _("day off")
        return f"{day_text(self.date)} · {where} · {what}"

    def clean(self):
        super().clean()
        errors = {}
        if self.branch_id and self.region_id:
            errors["region"] = _("Choose a branch or a region, not both.")
        if self.is_working:
            for name in ("opens", "closes"):
                if getattr(self, name) is None:
                    errors[name] = _("A working day needs its opening and closing times.")
        elif self.opens is not None or self.closes is not None:
            errors["opens" if self.opens is not None else "closes"] = _("Leave the times empty on a day off.")
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            errors["closes"] = _("Closing time must be after opening time.")
        try:
            check_day(self.date)
        except ValidationError as error:
            errors["date"] = error
        if errors:
            raise ValidationError(errors)
