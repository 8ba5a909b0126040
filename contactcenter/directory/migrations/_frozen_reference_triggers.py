"""Frozen (as of directory 0014): the triggers that end the cached reference values (``contactcenter.reference_cache``)
when a table changes. Migrations import this file, never the live module, so a later change there cannot change
what an old migration did."""

from django.db import migrations

TABLE = "reference_generation"
PG_FUNCTION = "reference_generation_bump"
SQLITE_NEW_TOKEN = "lower(hex(randomblob(16)))"
SQLITE_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _trigger_name(table: str, operation: str = "") -> str:
    return f"refgen_{table}" + (f"_{operation.lower()}" if operation else "")


def create_generation_table(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE TABLE {TABLE} (id smallint PRIMARY KEY, token varchar(40) NOT NULL)")
        schema_editor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, md5(random()::text))")
        schema_editor.execute(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE {TABLE} SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
            "RETURN NULL; END $$"
        )
    else:
        schema_editor.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, token varchar(40) NOT NULL)")
        schema_editor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, {SQLITE_NEW_TOKEN})")


def drop_generation_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}() CASCADE")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _pg_trigger(name: str, events: str, table: str) -> str:
    # Once per statement, whatever the rows (a bulk update bumps once); TRUNCATE too (a test's flush).
    return f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"


def _sqlite_trigger(name: str, event: str, table: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
        f"UPDATE {TABLE} SET token = {SQLITE_NEW_TOKEN} WHERE id = 1; END"
    )


def _create_triggers(tables):
    def forwards(apps, schema_editor):
        for table in tables:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(
                    _pg_trigger(_trigger_name(table), "INSERT OR UPDATE OR DELETE OR TRUNCATE", table)
                )
            else:
                for operation in SQLITE_OPERATIONS:
                    schema_editor.execute(_sqlite_trigger(_trigger_name(table, operation), operation, table))

    return forwards


def _drop_triggers(tables):
    def backwards(apps, schema_editor):
        for table in tables:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
            else:
                for operation in SQLITE_OPERATIONS:
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, operation)}")

    return backwards


def generation_triggers(*tables: str) -> migrations.RunPython:
    """The operation that makes every change of ``tables`` write a new token."""
    return migrations.RunPython(_create_triggers(tables), _drop_triggers(tables))


def _create_update_of(table: str, columns):
    def forwards(apps, schema_editor):
        update_of = "UPDATE OF " + ", ".join(schema_editor.quote_name(column) for column in columns)
        update_name = _trigger_name(table, "UPDATE")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
            schema_editor.execute(_pg_trigger(_trigger_name(table), "INSERT OR DELETE OR TRUNCATE", table))
            schema_editor.execute(_pg_trigger(update_name, update_of, table))
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {update_name}")
            schema_editor.execute(_sqlite_trigger(update_name, update_of, table))

    return forwards


def _restore_every_update(table: str):
    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, 'UPDATE')} ON {table}")
        _drop_triggers([table])(apps, schema_editor)
        _create_triggers([table])(apps, schema_editor)

    return backwards


def generation_triggers_on_update_of(table: str, columns) -> migrations.RunPython:
    """The operation that makes an ``UPDATE`` of ``table`` write a new token only when it sets one of ``columns``
    (every column but a busy one nothing cached depends on); ``INSERT`` and ``DELETE`` always do."""
    return migrations.RunPython(_create_update_of(table, columns), _restore_every_update(table))
