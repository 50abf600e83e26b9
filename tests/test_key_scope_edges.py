"""Unwrapped data keys are held only at the edges where work begins (decision 0038): the
request middleware, the `keys_held` decorator (commands, benches, scripts) and the tests'
fixture. Nothing else names `key_scope`, so the domain never depends on opening one."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from passport.encryption import crypto

ROOT = Path(__file__).resolve().parents[1]
EDGES = {
    "passport/encryption/crypto.py",     # where it is defined, with keys_held
    "passport/encryption/keys.py",       # the error that says one is needed
    "passport/project/middleware.py",    # every request
    "tests/conftest.py",                 # the tests' fixture
    "tests/passport/test_crypto.py",     # tests of the scope itself
    "tests/passport/test_keys.py",
    "tests/test_key_scope_edges.py",     # this file
}


def test_only_the_edges_name_the_key_scope():
    found = {path.relative_to(ROOT).as_posix()
             for top in ("passport", "api", "frontend", "bench", "tests")
             for path in (ROOT / top).rglob("*.py") if "key_scope" in path.read_text()}
    assert found <= EDGES, sorted(found - EDGES)
    assert "passport/project/middleware.py" in found


def test_every_command_holds_keys_while_it_runs():
    commands = sorted((ROOT / "passport/management/commands").glob("[!_]*.py"))
    assert commands
    for path in commands:
        assert "@keys_held\n    def handle(" in path.read_text(), path.name


def test_outside_any_scope_a_new_passport_is_refused_loudly(db, admin_user):
    """A forgotten edge shows at once rather than unwrapping a key per value."""
    import contextvars

    from passport.records import actions

    def outside():
        assert crypto.scope_cache() is None
        with pytest.raises(crypto.KeyringError, match="key_scope"):
            actions.do_create_passport(admin_user, legal_name="Nobody Held",
                                       date_of_birth=datetime.date(2012, 3, 4))

    contextvars.Context().run(outside)  # a context with no scope, as a bare script has


def test_a_command_holds_the_keys_it_unwraps_and_drops_them(db, her_passport, capsys):
    import contextvars

    def run():
        before = crypto.STATS["unwrap"]
        call_command("retention_due")
        unwrapped = crypto.STATS["unwrap"] - before
        assert crypto.scope_cache() is None  # dropped when the command returned
        return unwrapped

    assert contextvars.Context().run(run) == 1  # her key once, however many values it read
