"""Shared fixtures: the three users every access test needs, the browser, and the CI rules."""

import os

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import translation

from tests.factories import BranchFactory, ClockPolicyFactory, CustomerFactory, TeamFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Deselect (never skip) the tests whose service this run does not have."""
    from django.conf import settings

    unavailable = set()
    if connection.vendor != "postgresql":
        unavailable.add("postgres")
    if connection.vendor != "sqlite":
        unavailable.add("sqlite")
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        unavailable.add("redis")
    if not unavailable:
        return
    kept, deselected = [], []
    for item in items:
        (deselected if unavailable & {mark.name for mark in item.iter_markers()} else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every test must run on one of the two CI runs."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skipping is not allowed in CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    """Every staff fixture (and seed_demo) hashes a password: with production's PBKDF2, a million rounds or about
    0.3 s each, the suite spent minutes hashing. The tests hash with MD5; production's hasher is untouched."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in Russian leaves Russian active in the thread
    (LocaleMiddleware does not deactivate it), and which test ran before on the same process varies (xdist)."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _async_guard_stays_on(request):
    """Only the browser tests may run with Django's async guard set aside (tests/browser/conftest.py): anywhere
    else an ORM call made inside an event loop must fail as it would in production."""
    if request.node.get_closest_marker("browser") is None:
        assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ, (
            "DJANGO_ALLOW_ASYNC_UNSAFE is set outside the browser tests (unset it in your shell if it comes from there)"
        )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every file a test stores goes to its own folder, which the test can inspect (never var/media)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture
def root(db):
    """The administrator of the admin tests: staff and superuser."""
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    """pytest-django's fixture of the same name, logged in as ``root`` (our user model, our factory)."""
    client.force_login(root)
    return client


@pytest.fixture
def msk(db):
    return BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")


@pytest.fixture
def bud(db):
    return BranchFactory(code="BUD", name="Budapest", time_zone="Europe/Budapest", country="HU")


@pytest.fixture
def operator(msk):
    """May act in Moscow."""
    return UserFactory(username="op", role="Operator", branches=[msk])


@pytest.fixture
def onlooker(msk):
    """Works in Moscow but may only look (security)."""
    return UserFactory(username="looker", role="Security", branches=[msk])


@pytest.fixture
def stranger(bud):
    """An operator of another branch."""
    return UserFactory(username="stranger", role="Operator", branches=[bud])


@pytest.fixture
def deputy(db):
    return UserFactory(username="deputy", role="Deputy director", branches=[])


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django's SMTP backend points at it.

    ``smtp_server.stop()`` takes it down (sends then fail with ConnectionRefusedError) and
    ``smtp_server.start()`` brings it back on the same port.
    """
    from tests.smtp import LocalSMTPServer

    server = LocalSMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def policy(db):
    return ClockPolicyFactory()


@pytest.fixture
def case(msk):
    """Any model can carry clocks; a customer will do."""
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov")


@pytest.fixture
def people(msk, operator, deputy):
    """The owner (operator), the branch's supervisor, its manager and the deputy director."""
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
    team_lead = UserFactory(username="lead", role="Operator", branches=[msk])
    TeamFactory(branch=msk, supervisor=team_lead)
    manager = UserFactory(username="boss", role="Branch manager", branches=[msk])
    msk.manager, msk.deputy_director = manager, deputy
    msk.save()
    return {"owner": operator, "supervisor": supervisor, "team_lead": team_lead, "manager": manager, "deputy": deputy}


@pytest.fixture
def private_broker(monkeypatch):
    """The Celery app of this process uses a Redis server of the test's own as its broker and result backend
    (one Redis for both, as in production), which the test may stop (``private_broker.stop()``); the app's
    settings and connections are given back afterwards."""
    from contactcenter import celery_app
    from tests.brokers import PrivateRedis

    def use(broker, backend):
        celery_app.close()  # drops the pooled broker connections
        celery_app.amqp._producer_pool = None  # and the producers bound to them (close() keeps these)
        vars(celery_app._local).pop("backend", None)  # the result backend is cached per thread
        celery_app.conf.broker_url, celery_app.conf.result_backend = broker, backend

    server = PrivateRedis()
    server.start()
    shared = celery_app.conf.broker_url, celery_app.conf.result_backend
    # Celery reads these variables before its settings.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", server.url)
    use(server.url, server.url)
    yield server
    monkeypatch.undo()
    use(*shared)
    server.stop()
