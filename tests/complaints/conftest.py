"""Fixtures of the complaint register: a private media folder, fast passwords, the people, photos, registration."""

from datetime import timedelta

import pytest
import time_machine

from tests.complaints.sample_files import jpeg_bytes, upload
from tests.factories import UserFactory
from tests.moments import moscow as at


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The staff fixtures hash a password each; the slow production hasher would double these tests' time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(msk, people):
    """The branch's people (see the root ``people``); the manager and the deputy have e-mail addresses and
    read English, the supervisor may review complaints."""
    return people


@pytest.fixture
def reviewer(staff):
    return staff["manager"]


@pytest.fixture
def financial(msk):
    """Moscow as a financial organisation: its complaints carry the legal answer term."""
    msk.is_financial_organisation = True
    msk.save()
    return msk


@pytest.fixture
def bud_manager(bud):
    manager = UserFactory(username="bud_boss", role="Branch manager", branches=[bud])
    bud.manager = manager
    bud.save()
    return manager


@pytest.fixture
def photo():
    from complaints.photos import prepare_photo

    def make(name="page.jpg", **kwargs):
        return prepare_photo(upload(name, jpeg_bytes(**kwargs)))

    return make


@pytest.fixture
def register(msk, staff, photo):
    """Register a complaint in Moscow with one photo, received at ``received`` (time frozen a minute later)."""
    from complaints import services

    def make(received=None, *, branch=None, by=None, pages=None, phone="+79161234567", name="Ivan Ivanov", **extra):
        received = received or at(2026, 11, 23, 10, 0)
        with time_machine.travel(extra.pop("now", None) or received + timedelta(minutes=1), tick=False):
            return services.complaint_register(
                branch=branch or msk,
                channel=extra.pop("channel", "complaint_book"),
                category=extra.pop("category", "service"),
                received_at=received,
                summary=extra.pop("summary", "Waited an hour at the desk."),
                registered_by=by or staff["owner"],
                customer_phone=phone,
                customer_name=name,
                pages=[photo()] if pages is None else pages,
                **extra,
            )

    return make
