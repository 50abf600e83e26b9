"""Entries are never overwritten silently."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from passport.access.policy import reach
from passport.models import Condition, Revision, StaleVersion
from passport.records import actions, revisions


def test_it_keeps_every_version_with_who_when_and_why(asthma, nurse_reach, her_nurse):
    actions.do_amend_entry(nurse_reach, asthma, expected_version=1,
                               reason="Dose changed at review", changes={"details": "Once a day"})
    history = revisions.history(Condition.objects.get(pk=asthma.pk))
    assert [r.version for r in history] == [2, 1]
    latest, first = history
    assert latest.content["details"] == "Once a day"
    assert first.content["details"] == "Preventer inhaler twice a day"
    assert latest.reason == "Dose changed at review"
    assert latest.changed_by == her_nurse
    assert latest.changed_at >= first.changed_at


def test_the_earlier_version_is_stored_encrypted(asthma):
    revision = Revision.objects.get(entry_id=asthma.pk, version=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM passport_revision WHERE id = %s",
                       [revision.pk.hex if connection.vendor == "sqlite" else revision.pk])
        assert b"Preventer" not in bytes(cursor.fetchone()[0])


def test_a_stale_write_is_refused_and_changes_nothing(asthma, nurse_reach):
    first = Condition.objects.get(pk=asthma.pk)
    second = Condition.objects.get(pk=asthma.pk)
    actions.do_amend_entry(nurse_reach, first, expected_version=1, reason="a",
                               changes={"details": "winner"})
    with pytest.raises(StaleVersion):
        actions.do_amend_entry(nurse_reach, second, expected_version=1, reason="b",
                                   changes={"details": "loser"})
    stored = Condition.objects.get(pk=asthma.pk)
    assert stored.details == "winner"
    assert stored.version == 2
    assert Revision.objects.filter(entry_id=asthma.pk).count() == 2


def test_an_amendment_needs_a_reason(asthma, nurse_reach):
    with pytest.raises(ValidationError):
        actions.do_amend_entry(nurse_reach, asthma, expected_version=1, reason="  ",
                                   changes={"details": "x"})
    assert Condition.objects.get(pk=asthma.pk).version == 1


def test_bad_input_changes_nothing(asthma, nurse_reach):
    with pytest.raises(ValidationError):
        actions.do_amend_entry(nurse_reach, asthma, expected_version=1, reason="typo",
                                   changes={"kind": "not-a-kind"})
    stored = Condition.objects.get(pk=asthma.pk)
    assert (stored.kind, stored.version) == ("condition", 1)


def _race(passport_id, entry_id, nurse, value, barrier, results):
    try:
        entry = Condition.objects.get(pk=entry_id)
        nurse_reach = reach(nurse, passport_id)
        barrier.wait(timeout=10)
        actions.do_amend_entry(nurse_reach, entry, expected_version=1, reason="race",
                                   changes={"details": value})
        results[value] = "saved"
    except StaleVersion:
        results[value] = "stale"
    finally:
        connection.close()


def test_two_writers_with_real_threads_one_wins(committed_db, her_passport, her_nurse):
    nurse_reach = reach(her_nurse, her_passport.pk)
    entry = actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Latex"})
    barrier, results = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=_race, args=(her_passport.pk, entry.pk, her_nurse, value,
                                             barrier, results))
        for value in ("first writer", "second writer")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["saved", "stale"]
    winner = next(value for value, outcome in results.items() if outcome == "saved")
    stored = Condition.objects.get(pk=entry.pk)
    assert (stored.details, stored.version) == (winner, 2)
    assert Revision.objects.filter(entry_id=entry.pk).count() == 2
