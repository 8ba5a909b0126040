from datetime import time, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from callbacks.models import Callback, CallbackReason, ContactAttempt
from complaints.models import Category, Channel, Complaint
from contactcenter.deadlines.models import ClockPolicy, Recipient
from contactcenter.directory.models import Branch, Customer, Team, User, WorkingHours
from escalations.models import Escalation, EscalationKind
from phrases.models import Phrase, Situation

PASSWORD = "test-pass-123"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"BR{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")
    name = factory.Sequence(lambda n: f"Branch {n}")
    time_zone = "Europe/Moscow"
    country = "RU"

    @factory.post_generation
    def hours(branch, create, extracted, **kwargs):
        """Monday to Friday 09:00–18:00 unless a list of (weekday, opens, closes) is given."""
        if not create:
            return
        rows = extracted if extracted is not None else [(day, time(9), time(18)) for day in range(5)]
        for weekday, opens, closes in rows:
            WorkingHours.objects.create(branch=branch, weekday=weekday, opens=opens, closes=closes)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def branches(user, create, extracted, **kwargs):
        if create and extracted:
            user.branches.set(extracted)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    branch = factory.SubFactory(BranchFactory)
    full_name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+7916{n:07d}")


class ClockPolicyFactory(factory.django.DjangoModelFactory):
    """A policy like the case apps make: warn at 75 %, owner → supervisors → managers."""

    class Meta:
        model = ClockPolicy
        django_get_or_create = ["kind"]

    kind = "test_clock"
    label = "Test clock"
    warn_share = 0.75
    long_overdue_after = timedelta(hours=4)
    remind_every = timedelta(hours=1)
    due_soon_recipients = factory.LazyFunction(lambda: [Recipient.OWNER])
    overdue_recipients = factory.LazyFunction(lambda: [Recipient.OWNER, Recipient.SUPERVISORS])
    long_overdue_recipients = factory.LazyFunction(lambda: [Recipient.BRANCH_MANAGER, Recipient.DEPUTY_DIRECTOR])


class CallbackReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackReason
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"reason_{n}")
    label = factory.LazyAttribute(lambda reason: reason.code.replace("_", " ").capitalize())
    due_after = 24
    unit = CallbackReason.Unit.HOURS
    basis = CallbackReason.Basis.CALENDAR
    retry_pause = timedelta(hours=2)
    attempts_before_unreachable = 3


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A register row as the register keeps it, without pages or clocks (``complaints.services`` makes those)."""

    class Meta:
        model = Complaint

    branch = factory.SubFactory(BranchFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    register_number = factory.LazyAttribute(lambda row: Complaint.format_number(row.branch, row.year, row.number))
    channel = Channel.PHONE
    category = Category.SERVICE
    customer = factory.SubFactory(CustomerFactory, branch=factory.SelfAttribute("..branch"))
    received_at = factory.LazyFunction(timezone.now)
    received_on = factory.LazyAttribute(lambda row: row.received_at.astimezone(row.branch.tz).date())
    summary = factory.Faker("sentence")


class EscalationKindFactory(factory.django.DjangoModelFactory):
    """A kind like the defaults: the supervisor calls back within two business hours, live transfer allowed."""

    class Meta:
        model = EscalationKind
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"escalation_kind_{n}")
    label = factory.LazyAttribute(lambda kind: kind.code.replace("_", " ").capitalize())
    contact_within = 2
    unit = EscalationKind.Unit.HOURS
    basis = EscalationKind.Basis.BUSINESS
    first_level = "supervisor"


class CallbackFactory(factory.django.DjangoModelFactory):
    """A callback row as the figures read it (no clock): registration goes through ``callback_register``."""

    class Meta:
        model = Callback

    branch = factory.SubFactory(BranchFactory)
    customer = factory.SubFactory(CustomerFactory, branch=factory.SelfAttribute("..branch"))
    reason = factory.SubFactory(CallbackReasonFactory)
    customer_said = factory.Faker("sentence")


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    callback = factory.SubFactory(CallbackFactory)
    at = factory.LazyFunction(timezone.now)
    outcome = ContactAttempt.Outcome.NO_ANSWER


class EscalationFactory(factory.django.DjangoModelFactory):
    """An escalation row as the figures read it (no clock): opening goes through ``escalation_open``."""

    class Meta:
        model = Escalation

    branch = factory.SubFactory(BranchFactory)
    customer = factory.SubFactory(CustomerFactory, branch=factory.SelfAttribute("..branch"))
    kind = factory.SubFactory(EscalationKindFactory)
    customer_wants = factory.Faker("sentence")
    opened_at = factory.LazyFunction(timezone.now)
    level = "supervisor"


class PhraseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phrase

    situation = Situation.APOLOGY
    language = "en"
    text = factory.Sequence(lambda n: f"Please accept our apologies, number {n}.")
