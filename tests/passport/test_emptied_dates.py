"""`manage.py emptied_dates`: entries whose latest version emptied a date an earlier one held
(the edit pages' untouched saves before the fix), listed by id and field name alone."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passport.access.policy import reach
from passport.models import Condition, ImmunisationDose, Role
from passport.records import actions, erasure
from tests.conftest import make_user

GIVEN = datetime.date(2013, 9, 2)
NOTES = "Fainted after the Riverside clinic jab"


def emptied_dates(*args: str) -> str:
    out = io.StringIO()
    call_command("emptied_dates", *args, stdout=out)
    return out.getvalue()


def add_dose(a_reach, given_on=GIVEN) -> ImmunisationDose:
    return actions.do_add_entry(a_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": given_on, "source": "gp_record", "notes": NOTES})


def amend(a_reach, entry, version: int, **changes):
    return actions.do_amend_entry(a_reach, entry, expected_version=version, reason="saved",
                                  changes=changes)


@pytest.fixture
def emptied_dose(nurse_reach) -> ImmunisationDose:
    """Given on a known date in version 1; an untouched save emptied it in version 2."""
    dose = add_dose(nurse_reach)
    return amend(nurse_reach, dose, 1, given_on=None)


def test_it_lists_a_date_emptied_by_the_latest_version(emptied_dose, her_passport):
    out = emptied_dates()
    assert (f"passport {her_passport.pk}  section immunisations  type dose  "
            f"entry {emptied_dose.pk}  field given_on  emptied in version 2  "
            f"last held in version 1") in out
    assert out.endswith("1 emptied date(s) to check in 1 passport(s) read; "
                        "0 erased passport(s) skipped.\n")


def test_it_names_the_last_version_that_held_it(emptied_dose, nurse_reach):
    amend(nurse_reach, emptied_dose, 2, batch="MMR-XY99")
    assert "field given_on  emptied in version 2  last held in version 1" in emptied_dates()


def test_a_date_set_again_since_is_not_listed(emptied_dose, nurse_reach):
    amend(nurse_reach, emptied_dose, 2, given_on=GIVEN)
    assert emptied_dates().startswith("0 emptied date(s) to check")


def test_a_date_never_set_is_not_listed(nurse_reach):
    dose = add_dose(nurse_reach, given_on=None)
    amend(nurse_reach, dose, 1, batch="MMR-XY99")
    assert emptied_dates().startswith("0 emptied date(s) to check in 1 passport(s) read")


def test_a_date_emptied_on_purpose_is_listed_too(nurse_reach):
    """Nothing tells a lost date from a cleared one: the health team decides."""
    condition = actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "Eczema", "started_on": datetime.date(2015, 3, 1),
        "ended_on": datetime.date(2020, 5, 1)})
    actions.do_amend_entry(nurse_reach, condition, expected_version=1,
                           reason="It came back: not ended", changes={"ended_on": None})
    out = emptied_dates()
    assert f"type condition  entry {condition.pk}  field ended_on  emptied in version 2" in out
    assert "field started_on" not in out


def test_it_prints_no_content_dates_or_names(emptied_dose, nurse_reach):
    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "Eczema", "ended_on": datetime.date(2020, 5, 1)})
    out = emptied_dates()
    for secret in (NOTES, "Riverside", GIVEN.isoformat(), "2020-05-01", "mmr", "Eczema",
                   "Samantha", "Sam ", "943 476 5919", "saved"):
        assert secret not in out


def test_passport_narrows_the_list(emptied_dose, her_passport, other_passport, other_nurse):
    her_reach = reach(other_nurse, other_passport.pk)
    theirs = amend(her_reach, add_dose(her_reach), 1, given_on=None)
    everyone = emptied_dates()
    assert str(emptied_dose.pk) in everyone and str(theirs.pk) in everyone
    assert "2 emptied date(s) to check in 2 passport(s) read" in everyone
    narrowed = emptied_dates("--passport", str(other_passport.pk))
    assert str(theirs.pk) in narrowed and str(emptied_dose.pk) not in narrowed
    assert "1 emptied date(s) to check in 1 passport(s) read" in narrowed


def test_an_unknown_passport_is_refused(db):
    with pytest.raises(CommandError, match="No such passport"):
        emptied_dates("--passport", "00000000-0000-4000-8000-000000000000")


def test_it_reads_each_passports_revisions_with_one_query(emptied_dose, nurse_reach,
                                                           other_passport):
    for _ in range(3):
        amend(nurse_reach, add_dose(nurse_reach), 1, given_on=None)
    with CaptureQueriesContext(connection) as queries:
        out = emptied_dates()
    assert "4 emptied date(s) to check in 2 passport(s) read" in out
    revision_reads = [q for q in queries if "passport_revision" in q["sql"]]
    assert len(revision_reads) == 2


@pytest.fixture
def erased(settings, tmp_path, her_passport, emptied_dose):
    settings.HP_ERASURE_LEDGER = str(tmp_path / "erasure-ledger.jsonl")
    guardians = [make_user("caldicott", Role.CALDICOTT), make_user("lead", Role.TEAM_LEAD)]
    erasure.do_erase_passport(her_passport, authorisers=guardians, reason="Retention over",
                              ruling="Court order 2026/123")
    return her_passport


def test_an_erased_passport_is_skipped_and_counted(erased, other_passport):
    out = emptied_dates()
    assert str(erased.pk) not in out
    assert out == ("0 emptied date(s) to check in 1 passport(s) read; "
                   "1 erased passport(s) skipped.\n")


def test_a_passport_in_the_ledger_but_not_marked_is_skipped_too(erased):
    """A backup restored from before the erasure, before apply_erasure_ledger has run."""
    type(erased).objects.filter(pk=erased.pk).update(erased_at=None)
    assert emptied_dates().endswith("0 passport(s) read; 1 erased passport(s) skipped.\n")
