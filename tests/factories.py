from datetime import time, timedelta

import factory
from django.contrib.auth.models import Group

from contactcenter.deadlines.models import ClockPolicy, Recipient
from contactcenter.directory.models import Branch, Customer, Team, User, WorkingHours

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
