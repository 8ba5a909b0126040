"""The data migrations carry frozen copies of the roles and the reference data and import no live module.

After ``migrate`` (on SQLite and on PostgreSQL alike) the roles are exactly the table of ``roles.PERMISSIONS``
and the reference data is what each app's ``defaults.py`` says; the migrations alone never grant more than the
table, and make the same reference data.
"""

from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django_celery_beat.models import PeriodicTask

from callbacks import defaults as callback_defaults
from callbacks.models import CallbackReason
from complaints import defaults as complaint_defaults
from complaints.models import ChoiceLabel
from contactcenter.deadlines import defaults as deadline_defaults
from contactcenter.deadlines.beat import SCHEDULES
from contactcenter.deadlines.models import ClockPolicy, PauseReason
from contactcenter.directory import roles
from escalations import defaults as escalation_defaults
from escalations.models import EscalationKind
from privacy import defaults as privacy_defaults
from privacy.models import RetentionPeriod
from tests.test_layout import ROOT, imported_modules, module_file

pytestmark = pytest.mark.django_db

# The migrations that make roles or reference data, in the order the graph applies them.
DATA_MIGRATIONS = [
    ("directory", "0002_roles"),
    ("calendars", "0002_roles"),
    ("deadlines", "0002_schedule_and_roles"),
    ("alerts", "0003_schedule_and_roles"),
    ("callbacks", "0002_reasons_policy_roles"),
    ("complaints", "0002_clock_policies_and_roles"),
    ("escalations", "0002_kinds_policies_roles"),
    ("deadlines", "0005_default_pause_reasons"),
    ("complaints", "0004_legal_term_never_paused"),
    ("privacy", "0002_default_periods_and_schedule"),
    ("deadlines", "0010_pause_reasons_in_russian"),
    ("callbacks", "0006_labels_in_russian"),
    ("complaints", "0006_clock_names_in_russian"),
    ("escalations", "0005_labels_in_russian"),
    ("complaints", "0010_choice_names_in_two_languages"),
    ("callbacks", "0008_within_the_hour_in_working_hours"),
    ("privacy", "0003_webhook_retention"),
]


def granted() -> dict[str, set[str]]:
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def every_permission() -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}


def test_after_migrate_each_role_holds_exactly_its_row_of_the_table():
    assert set(granted()) == set(roles.ALL_ROLES)
    expected = {role: set(roles.PERMISSIONS.get(role, [])) for role in roles.ALL_ROLES}
    expected[roles.ADMINISTRATOR] = every_permission()
    assert granted() == expected


def run_data_migrations() -> None:
    """The data migrations' own code, each with the models as they were at its point of history."""
    loader = MigrationLoader(connection)
    for key in DATA_MIGRATIONS:
        state_apps = loader.project_state(key, at_end=False).apps
        for operation in loader.get_migration(*key).operations:
            if isinstance(operation, RunPython):
                operation.code(state_apps, None)


def test_the_data_migrations_alone_grant_nothing_beyond_the_table():
    Group.objects.all().delete()
    run_data_migrations()
    assert set(granted()) == set(roles.ALL_ROLES)
    # What the table gains after them, roles.sync_roles grants after every migrate; what it loses, they must
    # not grant on a fresh database.
    beyond = {
        role: permissions - set(roles.PERMISSIONS.get(role, []))
        for role, permissions in granted().items()
        if role != roles.ADMINISTRATOR
    }
    assert {role: extra for role, extra in beyond.items() if extra} == {}


def reference_data() -> dict:
    policies = [callback_defaults.POLICY, *complaint_defaults.POLICIES, *escalation_defaults.POLICIES]
    return {
        "reasons": list(
            CallbackReason.objects.order_by("position").values_list(
                "code",
                "label",
                "due_soon_after",
                "due_after",
                "unit",
                "basis",
                "retry_pause",
                "attempts_before_unreachable",
                "label_translations",
            )
        ),
        "kinds": list(
            EscalationKind.objects.order_by("position").values_list(
                "code",
                "label",
                "contact_within",
                "unit",
                "basis",
                "first_level",
                "tells_security_at_once",
                "allows_live_transfer",
                "names_an_operator",
                "handled_by",
                "label_translations",
                "handled_by_translations",
            )
        ),
        "policies": [ClockPolicy.objects.filter(kind=policy["kind"]).values(*policy).first() for policy in policies],
        "schedules": set(
            PeriodicTask.objects.filter(task__in=SCHEDULES).values_list("task", "name", "interval__every")
        ),
        "pause_reasons": list(
            PauseReason.objects.order_by("position").values_list("label", "needs_note", "label_translations")
        ),
        "policy_names": dict(ClockPolicy.objects.values_list("kind", "label_translations")),
        "complaint_choice_names": set(
            ChoiceLabel.objects.values_list("field", "value", "label", "label_translations__ru")
        ),
        "never_paused": set(ClockPolicy.objects.filter(may_pause=False).values_list("kind", flat=True)),
        "retention_periods": dict(RetentionPeriod.objects.values_list("kind", "days")),
        "retention_schedule": set(
            PeriodicTask.objects.filter(task=privacy_defaults.TASK).values_list(
                "task", "name", "crontab__hour", "crontab__minute"
            )
        ),
    }


def expected_reference_data() -> dict:
    return {
        "reasons": [(*row, {"ru": callback_defaults.REASONS_RU[row[0]]}) for row in callback_defaults.REASONS],
        "kinds": [
            (*row, {"ru": escalation_defaults.KINDS_RU[row[0]][0]}, {"ru": escalation_defaults.KINDS_RU[row[0]][1]})
            for row in escalation_defaults.KINDS
        ],
        "policies": [callback_defaults.POLICY, *complaint_defaults.POLICIES, *escalation_defaults.POLICIES],
        "schedules": {(task, name, 1) for task, name in SCHEDULES.items()},
        "pause_reasons": [(label, note, {"ru": russian}) for label, note, russian in deadline_defaults.PAUSE_REASONS],
        "complaint_choice_names": set(complaint_defaults.CHOICE_NAMES),
        "policy_names": {
            callback_defaults.POLICY["kind"]: {"ru": callback_defaults.POLICY_RU},
            **{kind: {"ru": name} for kind, name in complaint_defaults.POLICIES_RU.items()},
            **{kind: {"ru": name} for kind, name in escalation_defaults.POLICIES_RU.items()},
        },
        "never_paused": set(complaint_defaults.NEVER_PAUSED),
        "retention_periods": {str(kind): days for kind, days in privacy_defaults.PERIODS.items()},
        "retention_schedule": {(privacy_defaults.TASK, privacy_defaults.TASK_NAME, "2", "30")},
    }


def test_after_migrate_the_reference_data_is_that_of_the_defaults():
    assert reference_data() == expected_reference_data()


def test_the_data_migrations_alone_make_the_same_reference_data():
    CallbackReason.objects.all().delete()
    EscalationKind.objects.all().delete()
    ClockPolicy.objects.all().delete()
    PeriodicTask.objects.all().delete()
    PauseReason.objects.all().delete()
    RetentionPeriod.objects.all().delete()
    ChoiceLabel.objects.all().delete()
    assert reference_data()["reasons"] == []
    run_data_migrations()
    assert reference_data() == expected_reference_data()


def test_no_data_migration_imports_a_live_module_of_the_project():
    """Only Django, the standard library and the frozen helpers beside the migrations (``migrations/_*.py``).
    (A schema migration refers to a model's validators as makemigrations writes it: that is Django's own.)"""
    data_migrations = [
        Path(django_apps.get_app_config(app).path) / "migrations" / f"{name}.py" for app, name in DATA_MIGRATIONS
    ]
    assert all(path.is_file() for path in data_migrations)
    others = [
        path
        for path in ROOT.glob("*/**/migrations/0*.py")
        if ".venv" not in path.parts and "RunPython" in path.read_text() and path not in data_migrations
    ]
    live = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in [*data_migrations, *others]
        for module in imported_modules(path, root=ROOT)
        if (found := module_file(module, root=ROOT)) is not None
        and not (found.parent.name == "migrations" and found.name.startswith("_"))
    )
    assert live == []
