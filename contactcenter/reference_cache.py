"""Values computed from the reference tables (the set-up administrators edit: branches, working hours, calendar
overrides, teams, clock policies, callback reasons; the API's clients, their accounts and their webhook
subscriptions), kept in the process while none of those tables changed.

Registering a case reads the same set-up every time: the team that takes the branch's queue, its hours, the
calendar's overrides, the clock's policy, the reason. Each read is a query the ORM builds afresh, which costs more
than the work itself; cached here, a case is registered with one small query in their place.

How a cached value stays true: every table in ``REFERENCE_TABLES`` carries triggers (the migrations that name
this module) that, on any ``INSERT``, ``UPDATE``, ``DELETE`` (and ``TRUNCATE`` on PostgreSQL), write a new random
token into the one row of ``reference_generation``. The token is read on every lookup (one raw one-row
``SELECT``, no ORM); a value is used only under the token it was computed under. So whatever writes those tables
(the admin, a service, a bulk update, a data migration, raw SQL, another process) ends every cached value at
once, in every process. The token is random, not a counter: a transaction that changed a table and then rolled
back leaves a token no commit will ever write, so a value computed inside it is never taken for the committed
set-up; a transaction reading its own uncommitted change computes from it under its own token. (Noting an API client's
use or a person's login sets a column nothing cached depends on, and their tables' update triggers leave those
columns out: ``api/migrations/0006``.)

A table missing here that a cached computation reads would let a value outlive a change: the test
``tests/test_reference_cache.py`` computes every cached value with its queries captured and fails on any table
read that carries no trigger. Cached values are shared between threads: callers get a copy of a model instance
(``copy.copy``) and must treat a ``BusinessCalendar`` as read-only (it is: only its holiday memo fills in).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")

TABLE = "reference_generation"
# The tables whose every change ends the cached values (each carries the triggers; see the module's docstring).
REFERENCE_TABLES = (
    "directory_branch",
    "directory_workinghours",
    "directory_team",
    "directory_team_members",
    "directory_teamhours",
    "calendars_calendaroverride",
    "calendars_calendarregion",
    "calendars_calendarregion_branches",
    "deadlines_clockpolicy",
    "callbacks_callbackreason",
    "api_webhooksubscription",
    "api_apiclient",
    "api_apiclient_branches",
    "directory_user",
)
# A guard against a key space nobody foresaw (every operator of every branch): past it, start again.
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_values: dict[Hashable, object] = {}
_token: str | None = None


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The token the database holds now (None without the row: then nothing is cached)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key``, computed again only after a reference table changed."""
    global _token
    token = current_token()
    if token is None:
        return compute()
    with _lock:
        if token != _token:
            _values.clear()
            _token = token
        if key in _values:
            return _values[key]  # type: ignore[return-value]
    # Computed outside the lock (it queries); read after the token, so it is at least as new as the token says.
    value = compute()
    with _lock:
        if token == _token:
            if len(_values) >= MAX_ENTRIES:
                _values.clear()
            _values[key] = value
    return value


def cached_instance(key: Hashable, compute: Callable[[], T]) -> T:
    """As ``cached``, for a model instance (or None): the caller gets its own copy, free to change."""
    value = cached(key, compute)
    return copy.copy(value) if value is not None else value


def clear() -> None:
    """Forget every value (never needed for correctness; for a test that measures a cold computation)."""
    global _token
    with _lock:
        _values.clear()
        _token = None
