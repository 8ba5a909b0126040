"""The browser tests' fixtures: Playwright started for these tests only, and where screenshots go.

Playwright's sync API runs an event loop in the test thread and, between its calls, leaves that loop marked as
running; Django's async guard then refuses every ORM call made by the test. The guard must stand aside
(``DJANGO_ALLOW_ASYNC_UNSAFE``) exactly while Playwright lives, so pytest-playwright's session-wide fixtures
are replaced here by ones that live as long as this package: Playwright stops, and the guard is back, before
any other test runs (``tests/conftest.py`` checks it for every other test).
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import sync_playwright

from tests.moments import MOSCOW, moscow


@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        running = sync_playwright().start()
        if _pw_api_request_contexts:
            _pw_api_request_contexts.instrument(running)
        yield running
        running.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def browser(browser_type, browser_type_launch_args):
    launched = browser_type.launch(**browser_type_launch_args)
    yield launched
    launched.close()


@pytest.fixture(scope="package")
def browser_context_args(pytestconfig, playwright, device, base_url, _pw_artifacts_folder):
    """pytest-playwright's own (``--device``, ``--base-url``, ``--video``), for a Playwright of this package."""
    context_args = dict(playwright.devices[device]) if device else {}
    if base_url:
        context_args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ("on", "retain-on-failure"):
        context_args["record_video_dir"] = _pw_artifacts_folder.name
    return context_args


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test saves its screenshots: a temporary folder, unless ``SCREENSHOTS_DIR`` asks for one
    (``make screenshots`` refreshes ``docs/screenshots/``); a plain test run never changes tracked files."""
    folder = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_until(page, expression: str, arg=None, *, timeout: float = 15.0) -> None:
    """Poll ``expression`` (a JavaScript function of ``arg``, or an expression) until it is true; fail with it after
    ``timeout`` seconds. Playwright's ``wait_for_function`` evaluates its predicate again inside the page, which the
    Content-Security-Policy (no 'unsafe-eval') refuses once the first check was false: each check here is a
    separate ``evaluate``, which the policy does not govern."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {expression}")
        time.sleep(0.1)


def seed_demo_in_english():
    """The demo data with its staff reading English: the journeys read the pages' English words, and after
    login a page speaks its reader's saved language (the demo's Moscow staff read Russian)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo")
    get_user_model().objects.update(language="en")


@pytest.fixture
def weekday_morning_in_moscow():
    """The next Monday, 10:00 in Moscow, the clock running: inside every demo customer's calling hours, where
    "Take next" offers somebody (it offers nobody at night, and these journeys take a callback)."""
    today = timezone.now().astimezone(MOSCOW).date()
    monday = today + timedelta(days=7 - today.weekday())
    with time_machine.travel(moscow(monday.year, monday.month, monday.day, 10, 0), tick=True):
        yield


def log_in(page, live_server, user):
    """Log ``user`` (made by ``UserFactory``, with its password) in through the login page."""
    from tests.factories import PASSWORD

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
