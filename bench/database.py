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
