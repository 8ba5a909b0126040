"""The complaint register: complaints with their register number, photographed pages, forwardings and answer.

Change them only through ``complaints.services``: every change is one transaction with its audit entry and
its clocks (forwarding, the answer, and the legal term where the branch is a financial organisation).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.alerts.models import OutboundEmail
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Branch, BranchScopedQuerySet, Customer
from contactcenter.reference_labels import TranslatedLabels, in_language, read_once_per_request

# The kinds of clock a complaint carries (their policies are made by this app's migration).
FORWARDING_CLOCK = "complaint_forwarding"
ANSWER_CLOCK = "complaint_answer"
LEGAL_CLOCK = "complaint_legal_answer"
CLOCK_LABELS = {
    FORWARDING_CLOCK: _("Forwarding to the manager"),
    ANSWER_CLOCK: _("Answer to the customer"),
    LEGAL_CLOCK: _("Legal answer term"),
}


def clock_names() -> dict:
    """The names of a complaint's clocks in queues and digests (the ``deadlines.names.clock_names`` hook)."""
    return CLOCK_LABELS


class Channel(models.TextChoices):
    """How the complaint reached the company."""

    COMPLAINT_BOOK = "complaint_book", _("complaint book")
    PERSONAL_RECEPTION = "personal_reception", _("personal reception")
    LETTER = "letter", _("letter or post")
    WEBSITE = "website", _("website form")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    QUESTIONNAIRE = "questionnaire", _("quality questionnaire")
    DEDICATED_LINE = "dedicated_line", _("contact centre's dedicated line")


class Category(models.TextChoices):
    SERVICE = "service", _("quality of service")
    STAFF = "staff", _("conduct of staff")
    WAITING = "waiting", _("waiting time")
    PRODUCTS = "products", _("products, prices and terms")
    ERRORS = "errors", _("errors in documents or transactions")
    PREMISES = "premises", _("premises and equipment")
    REMOTE = "remote", _("website, app or contact centre")
    OTHER = "other", _("other")


class ChoiceLabel(TranslatedLabels):
    """The name of a channel or a category in every language, edited in the admin. The codes themselves are
    fixed (``Channel``, ``Category``: the API, the filters and the reports name them), so a row is never added
    or deleted by hand; its names are. A code without a row is named by the code's own translated label."""

    class Field(models.TextChoices):
        CHANNEL = "channel", _("channel")
        CATEGORY = "category", _("category")

    field = models.CharField(_("list"), max_length=16, choices=Field.choices)
    value = models.CharField(_("code"), max_length=32)
    label = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)

    class Meta:
        verbose_name = _("channel or category name")
        verbose_name_plural = _("channel and category names")
        ordering = ["field", "value"]
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="complaint_choice_label_unique")]


CHOICES = {ChoiceLabel.Field.CHANNEL: Channel, ChoiceLabel.Field.CATEGORY: Category}


def _choice_names() -> dict[tuple[str, str], tuple[str, dict]]:
    return {
        (field, value): (label, translations)
        for field, value, label, translations in ChoiceLabel.objects.values_list(
            "field", "value", "label", "label_translations"
        )
    }


def choice_label(field: str, value: str) -> str:
    """A channel's or a category's name in the reader's language: the admin's, else the code's own label."""
    if not value:
        return ""
    named = read_once_per_request("complaint_choice_names", _choice_names).get((field, value))
    if named is not None:
        return in_language(*named)
    return str(dict(CHOICES[field].choices).get(value, value))


def choice_list(field: str) -> list[tuple[str, str]]:
    """The choices of a form or a filter, in the codes' order, named in the reader's language."""
    return [(value, choice_label(field, value)) for value in CHOICES[field].values]


class Status(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("complaint status", "registered")
    FORWARDED = "forwarded", pgettext_lazy("complaint status", "forwarded")
    IN_REVIEW = "in_review", pgettext_lazy("complaint status", "in review")
    ANSWERED = "answered", pgettext_lazy("complaint status", "answered")
    CLOSED = "closed", pgettext_lazy("complaint status", "closed")


class AnswerChannel(models.TextChoices):
    LETTER = "letter", _("letter by post")
    EMAIL = "email", _("e-mail")
    IN_PERSON = "in_person", _("handed over in person")
    PHONE = "phone", _("phone call")

    @classmethod
    def written(cls) -> frozenset[str]:
        """The channels that carry a written answer, as the legal term requires."""
        return frozenset({cls.LETTER, cls.EMAIL, cls.IN_PERSON})


class RegisterCounter(models.Model):
    """The last register number given in a branch in a year; its row is locked while a number is taken,
    inside the registration's transaction, so numbers have no gaps and no duplicates."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="register_counter_per_branch_year")]

    def __str__(self):
        return f"{self.branch.code}-{self.year}: {self.last_number}"


def _complaint_clocks():
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=OuterRef("pk")
    ).order_by()


def legal_term_passed(now):
    """A condition on complaints: the legal answer term is still running (not paused) and was due before ``now``
    (an extension moves the clock, an answer stops it)."""
    clocks = _complaint_clocks().filter(kind=LEGAL_CLOCK, state__in=Deadline.OPEN_STATES, paused_at=None)
    return Exists(clocks.filter(due_at__lt=now))


class ComplaintQuerySet(BranchScopedQuerySet):
    def search(self, query: str, regions):
        """By register number (or a part of it) or by the customer's name or phone in any spelling."""
        query = (query or "").strip()
        if not query:
            return self
        by_customer = Q(customer__in=Customer.objects.search(query, regions).values("pk"))
        # Every register number has digits (MSK-2026-00042): a query without any cannot be part of one, and
        # leaving the number out lets the database find the customers first instead of reading every complaint.
        if not any(ch.isdigit() for ch in query):
            return self.filter(by_customer)
        return self.filter(Q(register_number__icontains=query) | by_customer)

    def overdue(self):
        """With at least one clock overdue now."""
        return self.filter(Exists(_complaint_clocks().filter(state=Deadline.State.OVERDUE)))

    def open(self):
        return self.exclude(status=Status.CLOSED)

    def with_clocks(self):
        """What a list shows of the clocks, without one query per row: the answer due (and its pause), the
        legal term due, whether any clock is overdue, and the number of pages."""
        clocks = _complaint_clocks()
        return self.annotate(
            answer_due_at=Subquery(clocks.filter(kind=ANSWER_CLOCK).order_by("-opened_at").values("due_at")[:1]),
            answer_paused_at=Subquery(clocks.filter(kind=ANSWER_CLOCK).order_by("-opened_at").values("paused_at")[:1]),
            answer_pause_reason=Subquery(
                clocks.filter(kind=ANSWER_CLOCK).order_by("-opened_at").values("pause_reason")[:1]
            ),
            legal_due_at=Subquery(clocks.filter(kind=LEGAL_CLOCK).order_by("-opened_at").values("due_at")[:1]),
            forwarding_due_at=Subquery(
                clocks.filter(kind=FORWARDING_CLOCK).order_by("-opened_at").values("due_at")[:1]
            ),
            is_overdue=Exists(clocks.filter(state=Deadline.State.OVERDUE)),
            page_count=Subquery(
                ComplaintPage.objects.filter(complaint=OuterRef("pk"))
                .order_by()
                .values("complaint")
                .annotate(count=Count("pk"))
                .values("count")[:1]
            ),
        )


class Complaint(models.Model):
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="complaints")
    year = models.PositiveSmallIntegerField(_("register year"))
    number = models.PositiveIntegerField(_("number in the year"))
    register_number = models.CharField(_("register number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    # Empty only on a draft: a complaint received by e-mail, registered at once (its number and clocks run from
    # the moment it arrived) and completed with its customer afterwards (``services.complaint_complete_draft``).
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("received"))
    received_on = models.DateField(_("received on"), help_text=_("The day it was received, in the branch's time."))
    summary = models.TextField(_("summary"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    legal_term_applies = models.BooleanField(
        _("legal answer term"),
        default=False,
        help_text=_("The branch was a financial organisation when the complaint was received."),
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("in review by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
    )
    answer_text = models.TextField(_("answer"), blank=True)
    answer_letter = models.FileField(_("answer letter"), max_length=255, blank=True)
    answer_letter_name = models.CharField(_("letter file name"), max_length=255, blank=True)
    answer_letter_type = models.CharField(max_length=100, blank=True)
    answer_channel = models.CharField(_("answered by"), max_length=16, choices=AnswerChannel.choices, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer given by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_extension_days = models.PositiveSmallIntegerField(_("legal term extended by (working days)"), null=True)
    legal_extension_reason = models.TextField(_("reason for the extension"), blank=True)
    customer_told_of_extension_on = models.DateField(_("customer told of the extension on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("forward_complaint", _("Can forward complaints to the branch's manager")),
            ("answer_complaint", _("Can answer, close and reopen complaints and extend the legal term")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "number"], name="complaint_number_unique_in_year"),
        ]
        indexes = [
            models.Index(fields=["branch", "status", "received_at"], name="complaint_branch_status_idx"),
            models.Index(fields=["received_on"], name="complaint_received_on_idx"),
            models.Index(fields=["assigned_to", "status"], name="complaint_assigned_idx"),
            # The register in its default order: the first page without sorting every complaint.
            models.Index(fields=["-received_at", "-id"], name="complaint_list_order_idx"),
        ]

    def __str__(self):
        return self.register_number

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    def get_channel_display(self) -> str:
        return choice_label(ChoiceLabel.Field.CHANNEL, self.channel)

    def get_category_display(self) -> str:
        return choice_label(ChoiceLabel.Field.CATEGORY, self.category)

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_draft(self) -> bool:
        """Received by e-mail and not completed yet: the customer is still to be named."""
        return self.customer_id is None

    @property
    def legal_term_extended(self) -> bool:
        return self.legal_extension_days is not None

    @staticmethod
    def format_number(branch: Branch, year: int, number: int) -> str:
        """``MSK-2026-00042``."""
        return f"{branch.code}-{year}-{number:05d}"


class ComplaintPageQuerySet(BranchScopedQuerySet):
    branch_lookup = "complaint__branch"


class ComplaintPage(models.Model):
    """A photographed page (of the complaint book, a letter...): checked, turned upright, stripped of its
    metadata and re-encoded before it was kept; stored under a name nobody can guess, never under a public URL."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="pages"
    )
    position = models.PositiveSmallIntegerField(_("page"))
    image = models.FileField(_("photo"), max_length=255)
    thumbnail = models.FileField(_("thumbnail"), max_length=255)
    original_name = models.CharField(_("uploaded as"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    sha256 = models.CharField(_("fingerprint"), max_length=64, help_text=_("SHA-256 of the picture's pixels."))
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same photo as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ComplaintPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page photo")
        verbose_name_plural = _("page photos")
        ordering = ["complaint", "position"]
        constraints = [models.UniqueConstraint(fields=["complaint", "position"], name="complaint_page_position")]
        indexes = [models.Index(fields=["sha256"], name="complaint_page_sha_idx")]

    def __str__(self):
        return f"{self.complaint} · {self.position}"

    def get_absolute_url(self):
        return reverse("complaints:page-image", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("complaints:page-thumbnail", args=[self.pk])

    @property
    def download_name(self) -> str:
        return f"{self.complaint.register_number}-page-{self.position}.jpg"


class ComplaintForwarding(models.Model):
    """One "forward" of a complaint to its branch's manager (copy to the deputy director), and its proof once
    the mail server accepted it: recipients, time, Message-ID."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="forwardings"
    )
    email = models.OneToOneField(
        OutboundEmail, verbose_name=_("e-mail"), on_delete=models.PROTECT, related_name="complaint_forwarding"
    )
    requested_at = models.DateTimeField(_("forwarded"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    photos_attached = models.BooleanField(
        _("photos attached"), default=True, help_text=_("Otherwise the e-mail carried links to the photos.")
    )
    sent_at = models.DateTimeField(_("accepted by the mail server"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.complaint} → {', '.join(self.to)}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        return self.email.status


class ReceivedEmail(models.Model):
    """A message of a branch's staff that became a complaint draft (``services.email_intake``). Its Message-ID is
    unique, so the same message delivered twice (an MTA's retry, the pipe and the mailbox both) makes one draft.
    Refused messages are only logged: they create nothing."""

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    from_address = models.EmailField(_("from"))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    dated_at = models.DateTimeField(_("date in the message"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="received_email",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("complaint received by e-mail")
        verbose_name_plural = _("complaints received by e-mail")
        ordering = ["-arrived_at", "-pk"]

    def __str__(self):
        return f"{self.from_address}: {self.subject or self.message_id}"


class LetterTemplateQuerySet(models.QuerySet):
    def offered_for(self, branch: Branch):
        """The active templates a complaint of ``branch`` may use: the branch's own and those for every branch."""
        return self.filter(Q(branch=branch) | Q(branch=None), is_active=True)


class LetterTemplate(models.Model):
    """The organisation's answer letter as a Word document with placeholders (``complaints.letters``), for one
    branch or for every branch, in one language; filled in at the complaint's answer step."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text=_("Empty: offered to every branch (a branch's own template comes first)."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("Word template (.docx)"), max_length=255, upload_to="complaints/letter-templates/")
    is_active = models.BooleanField(_("active"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer letter template")
        verbose_name_plural = _("answer letter templates")
        ordering = ["branch__code", "language", "name"]

    def __str__(self):
        return f"{self.name} ({self.language})"
