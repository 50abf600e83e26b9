"""The database itself refuses to change or delete audit events (docs/architecture.md 7, issue 2).

SQLite: BEFORE UPDATE / BEFORE DELETE triggers. PostgreSQL: a row trigger for UPDATE and
DELETE. (TRUNCATE is left to the database role's privileges: see
docs/decisions/0004-audit-chain.md.)
"""

from django.db import migrations

TABLE = "passport_auditevent"
MESSAGE = "audit events are append-only"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION passport_audit_refuse() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION passport_audit_refuse();"
        )
    else:
        raise RuntimeError(f"no append-only trigger for the {vendor} database")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event};")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")
        schema_editor.execute("DROP FUNCTION IF EXISTS passport_audit_refuse();")


class Migration(migrations.Migration):
    dependencies = [("passport", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
