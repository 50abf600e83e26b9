"""Her derived dates in plain columns: written with every write of what they come from, the
same as working them out again from the record, on the demo as `make run` loads it and after
a day's changes; the check names a passport whose stored date was changed behind its back."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from passport.access.policy import reach
from passport.care import placements
from passport.encryption.fields import BulkWriteRefused
from passport.models import Area, CareEpisode, ImmunisationDose, Passport, PlanAction, User
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


def test_an_episode_keeps_its_initial_due_date_and_short_breaks_none(loaded):
    """The area figures count the children in care from each episode's initial due date (20
    working days from its start), without decrypting its placement type: short breaks carry
    no duty, so theirs is empty. Worked by hand: from Monday 2 November 2026, 20 working
    days (no bank holiday between) end on Monday 30 November."""
    nurse, admin = User.objects.get(username="nurse"), User.objects.get(username="admin")
    stockport = Area.objects.get(name="Stockport")
    episodes = []
    for placement_type in ("foster", "short_breaks"):
        passport = actions.do_create_passport(
            admin, legal_name="Sam Example", date_of_birth=datetime.date(2015, 5, 5),
            health_team=Passport.objects.get(owner__username="yp.demo5").health_team)
        actions.do_assign_professional(admin, passport, nurse)
        episodes.append(actions.do_add_entry(reach(nurse, passport.pk), CareEpisode, {
            "started_on": datetime.date(2026, 11, 2), "legal_status": "s20",
            "placement_type": placement_type, "placing_authority": stockport,
            "host_area": stockport.pk}))
    foster, breaks = (CareEpisode.objects.get(pk=e.pk) for e in episodes)
    assert foster.initial_due_on == datetime.date(2026, 11, 30)
    assert breaks.initial_due_on is None
    assert "no difference" in check()
    CareEpisode.objects.filter(pk=breaks.pk).update_derived(initial_due_on=timezone.localdate())
    with pytest.raises(CommandError, match="1 derived dates differ"):
        check()
    with pytest.raises(BulkWriteRefused):  # only derived dates: never content
        CareEpisode.objects.filter(pk=breaks.pk).update_derived(started_on=None)


def test_at_start_up_only_passports_kept_under_other_rules_are_worked_out_again(loaded):
    mia = Passport.objects.get(owner__username="yp.demo1")
    chloe = Passport.objects.get(owner__username="yp.demo2")
    Passport.objects.filter(pk=mia.pk).update(vaccine_due_on=None, derived_rules="older rules")
    Passport.objects.filter(pk=chloe.pk).update(plan_late_from=datetime.date(2000, 1, 1))
    out = io.StringIO()
    call_command("derived", "--refresh", "--stale", stdout=out)
    assert "1 passports changed" in out.getvalue()
    mia.refresh_from_db()
    assert mia.vaccine_due_on is not None and mia.derived_rules == derived.RULES
    with pytest.raises(CommandError, match="1 derived dates differ"):  # Chloe's, till tonight
        check()


def test_every_write_they_come_from_keeps_them_true(loaded):
    """A new passport, a change of sex, of date of birth, a time in care begun and ended: after
    each, the stored dates are what the record gives. The vaccine date is the day one was
    found due, never the schedule's (her birthday plus an age)."""
    nurse, admin = User.objects.get(username="nurse"), User.objects.get(username="admin")
    team = Passport.objects.get(owner__username="yp.demo5").health_team
    born = datetime.date(2016, 4, 9)
    passport = actions.do_create_passport(admin, legal_name="Ola Example", date_of_birth=born,
                                          health_team=team)
    actions.do_assign_professional(admin, passport, nurse)
    passport.refresh_from_db()
    assert passport.vaccine_due_on == timezone.localdate()  # no dose recorded: found today
    assert passport.derived_rules == derived.RULES and "no difference" in check()
    hers = reach(nurse, passport.pk)
    actions.do_update_identity(hers, sex="male", reason="Recorded at the assessment.")
    assert "no difference" in check()
    actions.do_change_date_of_birth(hers, datetime.date(2015, 4, 9), "Age assessment.")
    assert "no difference" in check()
    stockport = Area.objects.get(name="Stockport")
    actions.do_add_entry(hers, CareEpisode, {
        "started_on": timezone.localdate() - datetime.timedelta(days=30),
        "legal_status": "s20", "placement_type": "foster", "placing_authority": stockport,
        "host_area": stockport.pk})
    passport.refresh_from_db()
    assert passport.next_assessment_kind == "initial" and "no difference" in check()
    placements.do_record_care_ending(hers, ended_on=timezone.localdate(),
                                     outcome="home")
    passport.refresh_from_db()
    assert passport.next_assessment_on is None and "no difference" in check()


def test_an_erased_passport_keeps_no_derived_date(loaded):
    from passport.records import erasure

    leo = Passport.objects.get(owner__username="yp.demo5")
    assert leo.next_assessment_on is not None
    erasure._shred(leo)
    kept = Passport.objects.filter(pk=leo.pk).values_list(*derived.NAMES).get()
    assert kept == (None, "", "", None, None, None, "")
    assert not CareEpisode.objects.filter(passport=leo, initial_due_on__isnull=False).exists()
