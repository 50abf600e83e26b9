"""Her derived dates in plain columns: written with every write of what they come from, the
same as working them out again from the record, on the demo as `make run` loads it and after
a day's changes; the check names a passport whose stored date was changed behind its back."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from passport.access.policy import reach
from passport.models import ImmunisationDose, Passport, PlanAction, User
from passport.records import actions, derived


def check() -> str:
    out = io.StringIO()
    call_command("derived", "--check", stdout=out)
    return out.getvalue()


def test_the_demo_as_loaded_has_no_difference(loaded):
    assert "no difference" in check()
    mia = Passport.objects.get(owner__username="yp.demo1")
    assert mia.next_assessment_kind == "review" and mia.next_assessment_on is not None
    assert mia.vaccine_due_on is not None  # her MMR second dose and more
    assert mia.derived_rules == derived.RULES


def test_each_write_keeps_them_and_the_check_finds_a_date_changed_behind_its_back(loaded):
    nurse = User.objects.get(username="nurse")
    mia = Passport.objects.get(owner__username="yp.demo1")
    hers = reach(nurse, mia.pk)
    today = timezone.localdate()
    action = actions.do_add_entry(hers, PlanAction, {
        "action": "Dentist check-up", "responsible": "carer", "status": "open",
        "due_on": today + datetime.timedelta(days=3)})
    actions.do_add_entry(hers, ImmunisationDose, {
        "vaccine": "mmr", "given_on": today - datetime.timedelta(days=1), "dose_number": 2,
        "source": "gp_record"})
    mia.refresh_from_db()
    assert mia.plan_late_from is not None and mia.plan_late_from <= action.due_on
    assert "no difference" in check()
    Passport.objects.filter(pk=mia.pk).update(vaccine_due_on=None, plan_late_from=today)
    with pytest.raises(CommandError, match="2 derived dates differ"):
        check()
    out = io.StringIO()
    call_command("derived", "--refresh", stdout=out)
    assert "1 passports changed" in out.getvalue()
    assert "no difference" in check()
