"""The complaints section of the customer's page (registered in ``ComplaintsConfig.ready``)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contactcenter.audit.sentences import EntryWords, note_said_by_sentence, phrase, with_changes
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.history import CustomerHistorySection, new_case_action


def complaints_section(customer, user):
    """The customer's complaints, newest first, each with its register number, status, every clock (open and
    finished) and the thumbnails of its photographed pages: three queries whatever their number. Only for
    those who may see complaints, who are also those the photos are served to (``complaints.views.files``)."""
    if not user.has_perm("complaints.view_complaint"):
        return None
    from .models import Complaint, ComplaintPage
    from .selectors import clock_order, visible_complaints

    complaints = list(
        visible_complaints(user)
        .filter(customer=customer)
        .select_related("branch", "assigned_to")
        .prefetch_related(Prefetch("pages", queryset=ComplaintPage.objects.order_by("position")))
        .order_by("-received_at", "-pk")
    )
    clocks = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id__in=[c.pk for c in complaints]
    ).order_by("opened_at", "pk")
    by_complaint: dict[int, list[Deadline]] = {}
    for clock in clocks:
        by_complaint.setdefault(clock.object_id, []).append(clock)
    for complaint in complaints:
        complaint.hub_clocks = sorted(by_complaint.get(complaint.pk, []), key=clock_order)
    return CustomerHistorySection(
        title=gettext_lazy("Complaints"),
        template="complaints/customer_section.html",
        context={"complaints": complaints, "customer": customer},
        actions=[new_case_action(gettext_lazy("Register a complaint"), "complaints:register", customer)]
        if user.has_perm("complaints.add_complaint")
        else [],
    )


# How the complaints' entries read in their history (``contactcenter.audit.sentences``).


def _channel(value) -> str:
    """The channel by its name in the reader's language; an entry from before the code was kept holds the
    English name, which finds its code again."""
    from .models import Channel, ChoiceLabel, choice_label

    if not value:
        return "—"
    if value not in Channel.values:
        with translation.override("en"):
            english = {str(label): code for code, label in Channel.choices}
        named = ChoiceLabel.objects.filter(field="channel", label=value).values_list("value", flat=True).first()
        value = named or english.get(value, value)
    return choice_label("channel", value) if value in Channel.values else value


@phrase("complaint.registered")
def _registered(words: EntryWords) -> str:
    pages = words.after("pages") or 0
    return words.said(
        ngettext(
            "%(actor)s registered the complaint (%(channel)s, %(pages)d page)",
            "%(actor)s registered the complaint (%(channel)s, %(pages)d pages)",
            pages,
        ),
        ngettext(
            "The complaint was registered (%(channel)s, %(pages)d page)",
            "The complaint was registered (%(channel)s, %(pages)d pages)",
            pages,
        ),
        channel=_channel(words.after("channel")),
        pages=pages,
    )


@phrase("complaint.pages_added")
def _pages_added(words: EntryWords) -> str:
    count = (words.after("pages") or 0) - (words.before("pages") or 0)
    return words.said(
        ngettext("%(actor)s added %(count)d page", "%(actor)s added %(count)d pages", count),
        ngettext("%(count)d page was added", "%(count)d pages were added", count),
        count=count,
    )


@phrase("complaint.changed")
def _changed(words: EntryWords) -> str:
    return with_changes(words.said(_("%(actor)s corrected the complaint"), _("The complaint was corrected")), words)


@phrase("complaint.draft_completed")
def _draft_completed(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s completed the draft: the customer is %(customer)s"),
        _("The draft was completed: the customer is %(customer)s"),
        customer=words.after("customer") or "—",
    )


@phrase("complaint.assigned")
def _assigned(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s gave the complaint to %(reviewer)s for review"),
        _("The complaint was given to %(reviewer)s for review"),
        reviewer=words.after("assigned_to") or "—",
    )


@phrase("complaint.answered")
def _answered(words: EntryWords) -> str:
    letter = words.after("answer_letter_name")
    if letter:
        return words.said(
            _("%(actor)s recorded the answer to the customer (letter “%(letter)s”)"),
            _("The answer to the customer was recorded (letter “%(letter)s”)"),
            letter=letter,
        )
    return words.said(_("%(actor)s recorded the answer to the customer"), _("The answer to the customer was recorded"))


@phrase("complaint.closed")
def _closed(words: EntryWords) -> str:
    return words.said(_("%(actor)s closed the complaint"), _("The complaint was closed"))


@phrase("complaint.reopened")
def _reopened(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s reopened the complaint; the answer is now due %(due)s"),
        _("The complaint was reopened; the answer is now due %(due)s"),
        due=words.moment(words.after("answer_due_at")),
    )


@phrase("complaint.legal_term_extended")
def _legal_term_extended(words: EntryWords) -> str:
    days = words.after("legal_extension_days") or 0
    return words.said(
        ngettext(
            "%(actor)s extended the legal term by %(days)d working day, from %(before)s to %(after)s",
            "%(actor)s extended the legal term by %(days)d working days, from %(before)s to %(after)s",
            days,
        ),
        ngettext(
            "The legal term was extended by %(days)d working day, from %(before)s to %(after)s",
            "The legal term was extended by %(days)d working days, from %(before)s to %(after)s",
            days,
        ),
        days=days,
        before=words.moment(words.before("legal_due_at")),
        after=words.moment(words.after("legal_due_at")),
    )


def _addressees(words: EntryWords, addresses) -> str:
    """ "the branch manager Ivan Petrov <boss@example.com>": each address named by the role it holds in the
    complaint's branch (its manager, its deputy director), else as it is."""
    from .models import Complaint

    if not addresses:
        return ""
    complaint = (
        Complaint.objects.select_related("branch__manager", "branch__deputy_director")
        .filter(pk=words.entry.object_id)
        .first()
    )
    roles = {}
    if complaint is not None:
        for person, role in (
            (complaint.branch.deputy_director, _("the deputy director %(name)s")),
            (complaint.branch.manager, _("the branch manager %(name)s")),
        ):
            if person is not None and person.email:
                roles[person.email.lower()] = role % {"name": person.get_full_name() or person.username}
    named = []
    for address in (part.strip() for part in addresses.split(",")):
        role = roles.get(address.lower())
        named.append(f"{role} <{address}>" if role else address)
    return ", ".join(named)


def _sent_to(words: EntryWords, with_cc: tuple[str, str], without_cc: tuple[str, str]) -> str:
    to, cc = _addressees(words, words.after("to")), _addressees(words, words.after("cc"))
    if cc:
        return words.said(*with_cc, to=to or "—", cc=cc)
    return words.said(*without_cc, to=to or "—")


@phrase("complaint.forward_requested")
def _forward_requested(words: EntryWords) -> str:
    return _sent_to(
        words,
        (
            _("%(actor)s sent the complaint to %(to)s (copy: %(cc)s); waiting for the mail server"),
            _("The complaint was sent to %(to)s (copy: %(cc)s); waiting for the mail server"),
        ),
        (
            _("%(actor)s sent the complaint to %(to)s; waiting for the mail server"),
            _("The complaint was sent to %(to)s; waiting for the mail server"),
        ),
    )


@phrase("complaint.forwarded")
def _forwarded(words: EntryWords) -> str:
    if words.after("to") is None:  # entries written before the addressees were kept apart
        return words.said(
            _("%(actor)s forwarded the complaint to %(to)s; the mail server accepted it"),
            _("The complaint was forwarded to %(to)s; the mail server accepted it"),
            to=_addressees(words, words.after("recipients")) or "—",
        )
    return _sent_to(
        words,
        (
            _("%(actor)s forwarded the complaint to %(to)s (copy: %(cc)s); the mail server accepted it"),
            _("The complaint was forwarded to %(to)s (copy: %(cc)s); the mail server accepted it"),
        ),
        (
            _("%(actor)s forwarded the complaint to %(to)s; the mail server accepted it"),
            _("The complaint was forwarded to %(to)s; the mail server accepted it"),
        ),
    )


note_said_by_sentence("complaint.forwarded")


@phrase("complaint.letter_prepared")
def _letter_prepared(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s prepared the answer letter from the template “%(template)s”"),
        _("The answer letter was prepared from the template “%(template)s”"),
        template=words.after("letter_template") or "—",
    )
