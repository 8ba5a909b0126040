"""Fixtures of the calendar tests: a branch further east, and a Budapest night shift across the clock change."""

from datetime import time

import pytest

from tests.factories import BranchFactory, UserFactory


@pytest.fixture
def ekb(db):
    """Yekaterinburg, UTC+5 all year, the Russian calendar, Monday–Friday 09:00–18:00."""
    return BranchFactory(code="EKB", name="Yekaterinburg", time_zone="Asia/Yekaterinburg", country="RU")


@pytest.fixture
def bud_night(db):
    """A Budapest team that works only on Sunday nights, 00:00–06:00 local: across both clock changes."""
    return BranchFactory(
        code="BUDN", name="Budapest night", time_zone="Europe/Budapest", country="HU", hours=[(6, time(0), time(6))]
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="calendar-admin", is_staff=True, is_superuser=True)
