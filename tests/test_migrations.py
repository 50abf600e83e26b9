import io

from django.core.management import call_command


def test_every_model_change_has_its_migration(db):
    out = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
