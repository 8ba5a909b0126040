"""Schemathesis against the API's own OpenAPI schema, the application in-process (WSGI), every check on: no
server error, no answer that breaks the schema (status, content type, body, headers), whatever it is sent.

Bounded: ``FUZZ_MAX_EXAMPLES`` examples per operation and phase (a few minutes at most on 2 cores)."""

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from api.services import api_client_create
from contactcenter.wsgi import application
from tests.factories import BranchFactory

# Hypothesis keeps its caches in .hypothesis/ under the working directory: here, outside the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "contactcenter-hypothesis")

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        # Well-formed is not always acceptable: a phone that is no phone number, a moment in the past, a
        # branch the client may not act for are refused by the services (400, 404, 422), as documented.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "422"]}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
load_all_checks()
EVERY_CHECK = CHECKS.get_all()


@pytest.fixture
def in_test_transaction():
    """As Django's test client does: a request ending must not close the test's connection (inside the test's
    transaction it would, on PostgreSQL), so the examples' requests share the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, in_test_transaction):
    branch = BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
    _client, token = api_client_create(
        name="Fuzzer",
        branches=[branch],
        scopes=["callbacks:write", "complaints:write", "escalations:write", "cases:read", "events:subscribe"],
        by=None,
        requests_per_minute=1_000_000,
    )
    return token


@schema.parametrize()
# The client and its branch are made once per operation; what the examples create stays for the next ones.
# In CI the examples are the same every run (derandomize), so a red CI names a change, not a lucky draw; a
# developer's `make test` draws new ones each time and finds what CI has not tried yet.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
def test_the_api_keeps_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=EVERY_CHECK)
