"""What every benchmark asks of its database: PostgreSQL, and clean tables before and after the run."""

from django.core.management.base import CommandError
from django.db import connection


def require_postgresql(command: str, *, measures: str, allow_sqlite: bool) -> None:
    """Refuse (exit status 2) any database but PostgreSQL, where the figures would mean nothing; SQLite is let
    through with ``allow_sqlite``, which only the smoke tests use."""
    if connection.vendor != "postgresql" and not (allow_sqlite and connection.vendor == "sqlite"):
        raise CommandError(
            f"{command} measures {measures} on PostgreSQL; this database is {connection.display_name}.",
            returncode=2,
        )


def vacuum(tables: list[str]) -> None:
    """Rolled-back rows stay dead until VACUUM (autovacuum may be off): clean before the run (a crashed run
    leaves them too) and after it, so that one run does not pay for the last. Skipped inside a transaction
    (a test's), where PostgreSQL cannot vacuum."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM " + ", ".join(connection.ops.quote_name(table) for table in tables))


def describe_database(*settings: str) -> str:
    """The database as a benchmark's header names it: PostgreSQL's version and the given settings (e.g.
    ``shared_buffers``), or SQLite's version and a warning that its figures mean nothing."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (smoke test only: these figures mean nothing)"
        names = ("server_version", *settings)
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        version, *values = cursor.fetchone()
    shown = ", ".join(f"{name} {value}" for name, value in zip(settings, values, strict=True))
    return f"PostgreSQL {version} ({shown})" if shown else f"PostgreSQL {version}"
