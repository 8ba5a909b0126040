"""The audit trail: who changed what, when, and why, for every case and directory record.

The lowest app: it imports no other app of the project, and names the user and branch models only by
reference (``settings.AUTH_USER_MODEL``, ``"directory.Branch"``), so that the directory can use it. An entry is
read through the page of its record, which is scoped by branch already.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.formats import current_moment_text


class AuditEntryQuerySet(models.QuerySet):
    def for_target(self, target):
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted by itself (a scheduled scan, for example)."),
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_repr = models.CharField(_("record"), max_length=300)
    branch = models.ForeignKey(
        "directory.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("field: [before, after]"))
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_target_idx")]

    def __str__(self):
        return f"{current_moment_text(self.at)} {self.actor or '-'} {self.action} {self.target_repr}"
