"""A backup taken before an erasure, restored after it, stays unreadable once the ledger is
applied: the documented restore procedure, run with the real commands on a real database."""

import uuid

import pytest

from passport.operations import demo
from tests.support.databases import scratch_database

JORDAN = str(uuid.uuid5(demo.NAMESPACE, "yp.demo3"))
MIA = str(uuid.uuid5(demo.NAMESPACE, "yp.demo1"))

READ = (
    "from passport.models import Passport\n"
    "for pk in {ids!r}:\n"
    "    try:\n"
    "        print(pk, Passport.objects.get(pk=pk).legal_name)\n"
    "    except Exception as exc: print(pk, type(exc).__name__)\n"
)

GUARDIANS = (
    "from passport.models import User, Role\n"
    "for name, role in [('guardian', Role.CALDICOTT), ('lead', Role.TEAM_LEAD)]:\n"
    "    u = User(username=name, role=role); u.set_password('pw-for-' + name); u.save()\n"
)


@pytest.fixture
def loaded(db, tmp_path):
    with scratch_database(tmp_path) as database:
        database.manage("migrate", "--noinput")
        database.manage("load_demo")
        database.manage("shell", "-c", GUARDIANS)
        yield database


def read(database) -> str:
    return database.manage("shell", "-c", READ.format(ids=[JORDAN, MIA]))


def test_a_restored_backup_does_not_bring_an_erased_passport_back(loaded, tmp_path):
    assert "Jordan Ellis Carter" in read(loaded)
    backup = tmp_path / "before-erasure.backup"
    loaded.backup(backup)

    out = loaded.manage("erase_passport", JORDAN, "--reason", "Retention period over",
                        "--ruling", "Court order 2026/7", "--authorised-by", "guardian",
                        "--confirmed-by", "lead", "--passwords-from-stdin",
                        stdin="pw-for-guardian\npw-for-lead\n")
    assert "Erased passport" in out
    after = read(loaded)
    assert f"{JORDAN} ErasedError" in after and "Mia Louise Hartley" in after

    loaded.restore(backup)
    assert "Jordan Ellis Carter" not in read(loaded)  # refused by the ledger even now
    assert "1 were restored from a backup" in loaded.manage("apply_erasure_ledger")
    after_restore = read(loaded)
    assert f"{JORDAN} ErasedError" in after_restore and "Mia Louise Hartley" in after_restore
    assert "0 were restored" in loaded.manage("apply_erasure_ledger")
    assert b"Jordan" not in loaded.raw_bytes()


EVERY = (
    "from passport.models import Passport\n"
    "for p in Passport.objects.order_by('pk'):\n"
    "    try:\n"
    "        print('read', p.pk, bool(p.legal_name))\n"
    "    except Exception as exc: print('refused', p.pk, type(exc).__name__)\n"
)


def test_the_restore_drill_into_an_empty_database(loaded, tmp_path):
    """The README's drill: restore into an empty database, apply the ledger before serving,
    verify the audit chains, and every passport decrypts but the one erased after the
    backup."""
    backup = tmp_path / "nightly.backup"
    loaded.backup(backup)
    loaded.manage("erase_passport", JORDAN, "--reason", "Retention period over",
                  "--ruling", "Court order 2026/7", "--authorised-by", "guardian",
                  "--confirmed-by", "lead", "--passwords-from-stdin",
                  stdin="pw-for-guardian\npw-for-lead\n")
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    with scratch_database(fresh_dir) as fresh:
        fresh.ledger = loaded.ledger  # the ledger lives beside the keyring, not in the backup
        fresh.restore(backup)
        assert "1 were restored from a backup" in fresh.manage("apply_erasure_ledger")
        assert "The audit log is intact" in fresh.manage("verify_audit")
        lines = fresh.manage("shell", "-c", EVERY).split("\n")
        read_ok = [line for line in lines if line.startswith("read ")]
        refused = [line for line in lines if line.startswith("refused ")]
        assert refused == [f"refused {JORDAN} ErasedError"], refused
        assert len(read_ok) == 4 and all(line.endswith("True") for line in read_ok)
