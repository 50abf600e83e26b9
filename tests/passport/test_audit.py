"""The audit chain: append-only in the database, and every kind of tampering is named."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from passport.models import AuditChainHead, AuditEvent
from passport.records import audit
from tests.conftest import drop_audit_triggers


@pytest.fixture
def chain(her_passport, her_nurse):
    for section in ("conditions", "immunisations", "contacts", "assessments"):
        audit.record_event(actor=her_nurse, action="section_viewed", passport=her_passport,
                           basis="health_team", section=section)
    return list(AuditEvent.objects.filter(chain=str(her_passport.pk)).order_by("seq"))


def verify() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=err)
    return err.getvalue()


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_log_verifies(chain):
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))


def test_events_hold_no_content(chain):
    row = AuditEvent.objects.values().get(pk=chain[-1].pk)
    assert "Samantha" not in json.dumps(row, default=str)
    assert row["section"] == "assessments"


@pytest.mark.parametrize("statement", [
    "UPDATE passport_auditevent SET action = 'nothing'",
    "DELETE FROM passport_auditevent",
])
def test_the_database_refuses_changes(chain, statement):
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        sql(statement)
    assert "append-only" in str(refused.value)
    assert AuditEvent.objects.filter(action="nothing").count() == 0


def test_an_edited_event_is_named(chain):
    drop_audit_triggers()
    target = chain[2]
    sql("UPDATE passport_auditevent SET section = 'family_history' WHERE id = %s", [target.pk])
    report = verify()
    assert f"seq {target.seq} (event id {target.pk}): hash does not match" in report


def test_a_deleted_event_is_named(chain):
    drop_audit_triggers()
    sql("DELETE FROM passport_auditevent WHERE id = %s", [chain[1].pk])
    report = verify()
    assert f"seq {chain[1].seq}: missing" in report


def test_reordered_events_are_named(chain):
    drop_audit_triggers()
    a, b = chain[1], chain[2]
    sql("UPDATE passport_auditevent SET seq = 0 WHERE id = %s", [a.pk])
    sql("UPDATE passport_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    sql("UPDATE passport_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    report = verify()
    assert f"seq {a.seq} (event id {b.pk}): does not follow" in report


def test_an_event_inserted_out_of_order_is_named(chain, her_passport):
    drop_audit_triggers()
    victim = chain[1]
    sql("DELETE FROM passport_auditevent WHERE id = %s", [victim.pk])
    forged = AuditEvent(chain=victim.chain, seq=victim.seq, at=victim.at, actor_id=None,
                        passport_id=her_passport.pk, section="conditions", action="forged",
                        prev_hash=victim.prev_hash, hash="f" * 64)
    forged.save(force_insert=True)
    report = verify()
    assert f"seq {victim.seq} (event id {forged.pk}): hash does not match" in report
    assert f"seq {chain[2].seq} (event id {chain[2].pk}): inserted out of order" in report


def test_a_cut_off_tail_is_named(chain):
    drop_audit_triggers()
    sql("DELETE FROM passport_auditevent WHERE id IN (%s, %s)", [chain[-1].pk, chain[-2].pk])
    report = verify()
    assert f"chain {chain[0].chain}, seq {chain[-2].seq}: ends at seq {chain[-3].seq}" in report
    assert "tail cut off" in report


def test_a_cut_tail_with_a_rolled_back_head_is_caught_by_kept_checkpoints(chain, tmp_path):
    out = io.StringIO()
    call_command("export_audit_checkpoints", stdout=out)
    kept = tmp_path / "checkpoints.jsonl"
    kept.write_text(out.getvalue())
    # The attacker also puts back an older, validly signed head.
    old = AuditChainHead(chain=chain[0].chain, seq=chain[-3].seq, hash=chain[-3].hash)
    old.signature = audit._head_signature(old.chain, old.seq, old.hash)
    drop_audit_triggers()
    sql("DELETE FROM passport_auditevent WHERE id IN (%s, %s)", [chain[-1].pk, chain[-2].pk])
    AuditChainHead.objects.filter(chain=old.chain).update(seq=old.seq, hash=old.hash,
                                                          signature=old.signature)
    call_command("verify_audit")  # the database alone now looks consistent
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", checkpoints=kept, stderr=err)
    assert f"seq {chain[-1].seq}: a kept checkpoint is missing: tail cut off" in err.getvalue()


def test_a_forged_head_is_named(chain):
    AuditChainHead.objects.filter(chain=chain[0].chain).update(seq=99)
    assert "its signed head has been altered" in verify()


def test_a_whole_deleted_chain_is_named(chain, her_passport):
    drop_audit_triggers()
    sql("DELETE FROM passport_auditevent WHERE chain = %s", [str(her_passport.pk)])
    AuditChainHead.objects.filter(chain=str(her_passport.pk)).delete()
    assert f"chain {her_passport.pk}: the passport has no audit chain" in verify()


def test_a_passports_chain_starts_with_its_creation(chain, her_passport):
    first = AuditEvent.objects.get(chain=str(her_passport.pk), seq=1)
    assert first.action == "passport_created"


def test_events_about_no_passport_chain_per_viewer(her_nurse, other_nurse):
    one = audit.record_event(actor=her_nurse, action="list_viewed")
    two = audit.record_event(actor=other_nurse, action="list_viewed")
    again = audit.record_event(actor=her_nurse, action="list_viewed")
    assert one.chain != two.chain
    assert (one.chain, one.seq) == (again.chain, again.seq - 1)
    call_command("verify_audit", stdout=io.StringIO())
