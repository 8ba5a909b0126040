import os

import pytest
from django.core.management import CommandError, call_command

from contactcenter.directory.models import Branch, Customer, User
from contactcenter.directory.phones import parse_phone


def test_seed_demo_creates_every_role_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (Branch.objects.count(), User.objects.count(), Customer.objects.count())
    call_command("seed_demo")
    assert (Branch.objects.count(), User.objects.count(), Customer.objects.count()) == counts
    assert {b.time_zone for b in Branch.objects.all()} == {"Europe/Moscow", "Asia/Yekaterinburg", "Europe/Budapest"}
    assert {b.country for b in Branch.objects.all()} == {"RU", "HU"}
    roles = set(User.objects.values_list("groups__name", flat=True))
    assert roles == {
        "Operator",
        "Supervisor",
        "Head of department",
        "Branch manager",
        "Deputy director",
        "Security",
        "Administrator",
    }
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.check_password("demo-pass-2026")
    out = capsys.readouterr().out
    assert "supervisor" in out and "demo-pass-2026" in out


def test_demo_customers_have_valid_numbers_for_their_branch(db):
    call_command("seed_demo")
    for customer in Customer.objects.select_related("branch"):
        assert parse_phone(customer.phone, customer.branch.country) == customer.phone


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert os.environ.get("DJANGO_ENV") != "production"
