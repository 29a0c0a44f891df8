"""The desk settings' token and the triggers that change it (ADR 0050)."""

from django.db import migrations, models

TABLES = (
    "servicedesk_assignmentgroup",
    "servicedesk_priorityrule",
    "servicedesk_businesscalendar",
    "servicedesk_calendarday",
    "servicedesk_slapolicy",
    "servicedesk_vipperson",
    "servicedesk_routingsettings",
)
TOKEN_TABLE = "servicedesk_desksettingstoken"
PG_FUNCTION = "servicedesk_settings_changed"
# A migration keeps its own copy of the table list: later changes to the models' list must not
# change what this migration did.


def _sqlite_names(table: str) -> list[tuple[str, str]]:
    return [(f"{table}_settings_{op.lower()}", op) for op in ("INSERT", "UPDATE", "DELETE")]


def create_triggers(apps, schema_editor):
    schema_editor.execute(f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, 0)")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE {TOKEN_TABLE} SET token = (random() * 4e18)::bigint; RETURN NULL; END $$"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_settings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for name, op in _sqlite_names(table):
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {op} ON {table} "
                    f"BEGIN UPDATE {TOKEN_TABLE} SET token = random(); END"
                )
    else:  # pragma: no cover - the project runs on these two (ARCHITECTURE.md)
        raise NotImplementedError(vendor)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_settings ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    elif vendor == "sqlite":
        for table in TABLES:
            for name, _op in _sqlite_names(table):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0007_ticket_fk_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeskSettingsToken",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
