"""The schedule engine against cases worked out by hand from docs/clinical-rules.md 3 before the
engine ran: every MMR / MMRV birth cohort and its edges, earlier schedules (born 2008, 2011, 2016,
2020), a 15-year-old with no history, partial courses resumed, HPV and MenACWY at 24 and 25, a dose
given too young, rotavirus after its age limit, an uncertain history."""

import datetime

import pytest

from passport.clinical.immunisation import Dose, Facts, assess

D = datetime.date
ON = D(2026, 11, 27)


def doses(*pairs, source="gp_record"):
    return [Dose(vaccine, D(*date), source) for vaccine, date in pairs]


BORN_2008 = doses(("5in1", (2008, 5, 10)), ("5in1", (2008, 6, 10)), ("5in1", (2008, 7, 10)),
                  ("pcv", (2008, 5, 10)), ("pcv", (2008, 7, 10)), ("pcv", (2009, 4, 15)),
                  ("hib_menc", (2009, 3, 15)), ("mmr", (2009, 4, 1)), ("mmr", (2011, 8, 1)),
                  ("dtap_ipv", (2011, 8, 1)), ("hpv", (2020, 10, 1)), ("td_ipv", (2022, 4, 1)),
                  ("menacwy", (2022, 4, 1)))
BORN_2016 = doses(("5in1", (2016, 4, 1)), ("5in1", (2016, 5, 1)), ("5in1", (2016, 6, 1)),
                  ("rotavirus", (2016, 4, 1)), ("rotavirus", (2016, 5, 1)),
                  ("menb", (2016, 4, 1)), ("menb", (2016, 6, 1)), ("menb", (2017, 2, 5)),
                  ("pcv", (2016, 4, 1)), ("pcv", (2016, 6, 1)), ("pcv", (2017, 2, 5)),
                  ("hib_menc", (2017, 2, 5)), ("mmr", (2017, 2, 5)), ("mmr", (2019, 6, 5)),
                  ("dtap_ipv", (2019, 6, 5)))

# (case, born, history, on, keyword arguments, expected statuses for some programmes)
CASES = [
    # --- MMR / MMRV by birth cohort -----------------------------------------------------
    ("MMRV cohort, one dose, 18-month dose late", D(2025, 3, 1),
     doses(("mmrv", (2026, 3, 5))), ON, {},
     {"mmr": "overdue", "varicella": "overdue", "hib_menc": "not_offered"}),
    ("MMRV cohort, both doses", D(2025, 3, 1),
     doses(("mmrv", (2026, 3, 5)), ("mmrv", (2026, 9, 10))), ON, {},
     {"mmr": "complete", "varicella": "complete"}),
    # Two measles doses complete MMR; the MMRV at 3y4m is her second chickenpox dose.
    ("second half of 2024: MMR, MMRV, MMRV at 3y4m not yet", D(2024, 9, 15),
     doses(("mmr", (2025, 9, 20)), ("mmrv", (2026, 3, 20))), ON, {},
     {"mmr": "complete", "varicella": "not_yet_due"}),
    ("Sep 2022 to Jun 2024: MMRV at 3y4m missed", D(2023, 1, 10),
     doses(("mmr", (2024, 1, 15))), ON, {},
     {"mmr": "overdue", "varicella": "overdue"}),
    ("2020 to Aug 2022: MMR twice, MMRV catch-up now due", D(2021, 2, 1),
     doses(("mmr", (2022, 2, 5)), ("mmr", (2024, 6, 5))), ON, {},
     {"mmr": "complete", "varicella": "due"}),
    # Had chickenpox: not needed, never "complete" (no dose was given).
    ("2020 to Aug 2022 with chickenpox: no MMRV", D(2021, 2, 1),
     doses(("mmr", (2022, 2, 5)), ("mmr", (2024, 6, 5))), ON, {"facts": Facts(had_chickenpox=True)},
     {"varicella": "not_needed"}),
    ("2020 to Aug 2022: the catch-up window has not opened", D(2021, 2, 1),
     doses(("mmr", (2022, 2, 5)), ("mmr", (2024, 6, 5))), D(2026, 10, 1), {},
     {"varicella": "not_yet_due"}),
    ("2020 to Aug 2022: the catch-up window has closed", D(2021, 2, 1),
     doses(("mmr", (2022, 2, 5)), ("mmr", (2024, 6, 5))), D(2028, 4, 1), {},
     {"varicella": "past_age_limit"}),
    ("born 2019: no MMRV", D(2015, 5, 1),
     doses(("mmr", (2016, 5, 10)), ("mmr", (2018, 9, 5))), ON, {},
     {"mmr": "complete", "varicella": "not_offered"}),
    ("edge: 31 Dec 2019 not offered MMRV", D(2019, 12, 31), [], ON, {},
     {"varicella": "not_offered"}),
    ("edge: 1 Jan 2020 offered the catch-up", D(2020, 1, 1), [], ON, {},
     {"varicella": "due"}),
    ("edge: 31 Aug 2022 is the catch-up cohort", D(2022, 8, 31), [], ON, {},
     {"varicella": "due"}),
    ("edge: 1 Sep 2022 has MMRV at 3y4m, missed", D(2022, 9, 1), [], ON, {},
     {"varicella": "overdue"}),
    ("edge: 30 Jun 2024 has no 18-month dose, Hib/MenC missed", D(2024, 6, 30),
     doses(("mmr", (2025, 7, 2))), ON, {},
     {"mmr": "not_yet_due", "varicella": "not_yet_due", "hib_menc": "overdue"}),
    ("edge: 1 Jul 2024 has the 18-month dose, no Hib/MenC", D(2024, 7, 1),
     doses(("mmr", (2025, 7, 2))), ON, {},
     {"mmr": "overdue", "hib_menc": "not_offered"}),
    # --- earlier schedules --------------------------------------------------------------
    ("born 2008: complete on the schedule of the time", D(2008, 3, 10), BORN_2008, ON, {},
     {"primary": "complete", "hepb": "not_offered", "rotavirus": "not_offered",
      "menb": "not_offered", "pcv": "complete", "hib_menc": "complete", "mmr": "complete",
      "varicella": "not_offered", "preschool": "complete", "hpv": "complete",
      "td_ipv": "complete", "menacwy": "complete"}),
    ("born 2011, 15, no history: catch-up", D(2011, 6, 1), [], ON, {},
     {"primary": "overdue", "hepb": "not_offered", "rotavirus": "not_offered",
      "menb": "not_offered", "pcv": "past_age_limit", "hib_menc": "past_age_limit",
      "mmr": "overdue", "varicella": "not_offered", "preschool": "waits",
      "hpv": "overdue", "td_ipv": "waits", "menacwy": "overdue"}),
    ("born 2016: 5-in-1 era, teenage doses to come", D(2016, 2, 1), BORN_2016, ON, {},
     {"primary": "complete", "hepb": "not_offered", "rotavirus": "complete",
      "menb": "complete", "pcv": "complete", "hib_menc": "complete", "mmr": "complete",
      "preschool": "complete", "hpv": "not_yet_due", "td_ipv": "not_yet_due",
      "menacwy": "not_yet_due"}),
    ("born 2020: two PCV doses are the course", D(2020, 3, 1),
     doses(("pcv", (2020, 6, 25)), ("pcv", (2021, 3, 5))), ON, {},
     {"pcv": "complete", "hepb": "overdue"}),
    ("born 2018 (after Aug 2017): hepatitis B in the 6-in-1", D(2018, 1, 10),
     doses(("6in1", (2018, 3, 10)), ("6in1", (2018, 4, 10)), ("6in1", (2018, 5, 10))), ON,
     {}, {"primary": "complete", "hepb": "complete"}),
    ("born Jul 2017 (before Aug 2017): no hepatitis B", D(2017, 7, 31), [], ON, {},
     {"hepb": "not_offered"}),
    # --- partial courses resumed, never restarted ----------------------------------------
    ("one catch-up dose: the next in 4 weeks", D(2011, 6, 1),
     doses(("td_ipv", (2026, 11, 1))), ON, {},
     {"primary": "not_yet_due", "preschool": "waits", "mmr": "overdue"}),
    ("two catch-up doses: the third due now", D(2011, 6, 1),
     doses(("td_ipv", (2026, 9, 1)), ("td_ipv", (2026, 10, 1))), D(2026, 11, 20), {},
     {"primary": "due"}),
    ("three catch-up doses: the first booster a year on", D(2011, 6, 1),
     doses(("td_ipv", (2026, 6, 1)), ("td_ipv", (2026, 7, 1)), ("td_ipv", (2026, 8, 1))),
     ON, {}, {"primary": "complete", "preschool": "not_yet_due", "td_ipv": "waits"}),
    ("MenB started, second dose late", D(2026, 1, 10),
     doses(("menb", (2026, 3, 7))), ON, {}, {"menb": "overdue"}),
    # --- HPV and MenACWY at 24 and at 25 -------------------------------------------------
    ("24 years old: HPV and MenACWY still offered", D(2002, 6, 1), [], ON, {},
     {"hpv": "overdue", "menacwy": "overdue"}),
    ("25 years old: no longer offered", D(2001, 6, 1), [], ON, {},
     {"hpv": "past_age_limit", "menacwy": "past_age_limit"}),
    ("the day before the 25th birthday", D(2001, 11, 28), [], ON, {},
     {"hpv": "overdue", "menacwy": "overdue"}),
    # --- doses too early, age limits -----------------------------------------------------
    ("MMR at 11 months does not count", D(2015, 5, 1),
     doses(("mmr", (2016, 4, 1)), ("mmr", (2019, 9, 1))), ON, {}, {"mmr": "overdue"}),
    ("rotavirus after 24 weeks: not given", D(2026, 4, 1), [], ON, {},
     {"rotavirus": "past_age_limit"}),
    ("rotavirus second dose late but within 24 weeks", D(2026, 8, 1),
     doses(("rotavirus", (2026, 9, 26))), ON, {}, {"rotavirus": "overdue"}),
    ("a baby of 6 weeks: first doses not yet due", D(2026, 10, 16), [], ON, {},
     {"primary": "not_yet_due", "menb": "not_yet_due", "rotavirus": "not_yet_due",
      "mmr": "not_yet_due"}),
    ("a baby of 8 weeks: first doses due", D(2026, 10, 2), [], ON, {},
     {"primary": "due", "menb": "due", "rotavirus": "due", "pcv": "not_yet_due"}),
    # --- uncertain history ---------------------------------------------------------------
    ("someone's word counts when the history is judged reliable", D(2011, 6, 1),
     doses(("mmr", (2012, 7, 1)), ("mmr", (2015, 1, 1)), source="young_persons_word"), ON,
     {"facts": Facts(history="verbal")}, {"mmr": "complete"}),
    ("with no judgement of the history, someone's word does not count", D(2011, 6, 1),
     doses(("mmr", (2012, 7, 1)), ("mmr", (2015, 1, 1)), source="young_persons_word"), ON,
     {}, {"mmr": "overdue"}),
    ("without a reliable history, plan as unimmunised", D(2011, 6, 1),
     doses(("mmr", (2012, 7, 1)), ("mmr", (2015, 1, 1)), source="young_persons_word"), ON,
     {"facts": Facts(history="none")}, {"mmr": "overdue"}),
]


@pytest.mark.parametrize(("case", "born", "history", "on", "options", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_schedule(case, born, history, on, options, expected):
    lines = {line.key: line for line in assess(born, history, on, **options)}
    got = {key: lines[key].status for key in expected}
    assert got == expected, case
    assert all(line.why for line in lines.values())  # every line says why


def test_a_resumed_course_says_so_and_when():
    lines = {line.key: line for line in assess(D(2011, 6, 1), doses(("td_ipv", (2026, 11, 1))),
                                               ON)}
    assert lines["primary"].due_on == D(2026, 11, 29)
    assert "2 of 3" in lines["primary"].why
    early = {line.key: line for line in assess(
        D(2015, 5, 1), doses(("mmr", (2016, 4, 1)), ("mmr", (2019, 9, 1))), ON)}
    assert "too young" in early["mmr"].why


def test_the_immunisations_page_shows_what_looks_due_and_why(her_passport, nurse_reach,
                                                             young_person):
    from django.test import Client

    from passport.models import ImmunisationDose
    from passport.records import actions
    from tests.conftest import login

    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": D(2012, 7, 1), "source": "gp_record"})
    page = login(Client(), young_person).get(f"/p/{her_passport.pk}/immunisations/")
    body = page.content.decode()
    assert "See each vaccine by the UK schedule" in body  # her own page: one tap away
    assert "Measles, mumps and rubella (MMR or MMRV)" in body and "Dose 2 of 2" in body
    assert "MenB" not in body  # never offered to her cohort: not shown as missing


def test_the_reasons_follow_the_language_of_each_request():
    from django.utils import translation

    born = D(2021, 2, 1)  # the MMRV catch-up cohort: its line carries a note
    with translation.override("en-gb"):
        english = {line.key: line.why for line in assess(born, [], ON)}["varicella"]
    with translation.override("ar"):
        arabic = {line.key: line.why for line in assess(born, [], ON)}["varicella"]
    assert "November 2026" in english and "November 2026" not in arabic


def test_words_for_one_dose_and_for_more_doses_than_the_course():
    """Never "All 1 doses", never more doses counted than the course has."""
    from passport.clinical.immunisation import COMPLETE, Dose, assess

    born = D(2011, 6, 1)
    one = {line.key: line for line in assess(born, [Dose("hpv", D(2024, 10, 1), "gp_record")],
                                             D(2026, 1, 1))}["hpv"]
    assert one.status == COMPLETE and one.why == "The dose is recorded."
    many = [Dose("mmr", day, "gp_record") for day in (D(2012, 7, 1), D(2015, 9, 10),
                                                      D(2016, 1, 1), D(2017, 1, 1))]
    mmr = {line.key: line for line in assess(born, many, D(2026, 1, 1))}["mmr"]
    assert (mmr.counted, mmr.needed) == (2, 2) and mmr.why == "All 2 doses are recorded."


def six_in_one(*days):
    from passport.clinical.immunisation import Dose

    return [Dose("6in1", day, "gp_record") for day in days]


# docs/clinical-safety/cases/eighteen-month-booster.md, worked by hand from the UKHSA schedule
# from 1 January 2026 ("18 months old: born on or after 1 July 2024: DTaP/IPV/Hib/HepB").
EIGHTEEN_MONTHS = [
    ("A: born Sep 2024, three doses, 21 months", D(2024, 9, 1),
     six_in_one(D(2024, 10, 27), D(2024, 11, 24), D(2024, 12, 22)), D(2026, 6, 1),
     {"primary": "complete", "booster_18m": "overdue", "preschool": "not_yet_due"},
     {"booster_18m": D(2026, 3, 1)}),
    ("B: born Sep 2024, the 18-month dose given", D(2024, 9, 1),
     six_in_one(D(2024, 10, 27), D(2024, 11, 24), D(2024, 12, 22), D(2026, 3, 5)),
     D(2026, 6, 1),
     {"primary": "complete", "booster_18m": "complete", "preschool": "not_yet_due"},
     {"preschool": D(2028, 1, 1)}),
    ("C: born 30 June 2024: no 18-month dose", D(2024, 6, 30),
     six_in_one(D(2024, 8, 25), D(2024, 9, 22), D(2024, 10, 20)), D(2026, 6, 1),
     {"primary": "complete", "booster_18m": "not_offered", "preschool": "not_yet_due"},
     {"preschool": D(2027, 10, 30)}),
    ("D: born Sep 2024, 17 months", D(2024, 9, 1),
     six_in_one(D(2024, 10, 27), D(2024, 11, 24), D(2024, 12, 22)), D(2026, 2, 1),
     {"booster_18m": "not_yet_due", "preschool": "not_yet_due"},
     {"booster_18m": D(2026, 3, 1)}),
]


@pytest.mark.parametrize(("case", "born", "history", "on", "expected", "dates"),
                         EIGHTEEN_MONTHS, ids=[c[0] for c in EIGHTEEN_MONTHS])
def test_the_18_month_booster_worked_by_hand(case, born, history, on, expected, dates):
    from passport.clinical.immunisation import assess

    lines = {line.key: line for line in assess(born, history, on)}
    assert {key: lines[key].status for key in expected} == expected
    assert {key: lines[key].due_on for key in dates} == dates


def test_a_booster_vaccine_inside_the_first_course_says_it_counts_there():
    """A walk found Leo (4) with one infant 6-in-1 and a pre-school booster: the page said
    "Dose 2 of 3" and "after an earlier dose" without saying the booster was counted."""
    born = D(2022, 3, 1)
    lines = {line.key: line for line in assess(
        born, doses(("6in1", (2022, 4, 26)), ("dtap_ipv", (2026, 2, 6))), D(2026, 12, 6))}
    assert lines["primary"].counted == 2 and lines["preschool"].status == "waits"
    assert "counts as a dose of the first course" in lines["primary"].why


def test_with_no_dose_recorded_the_page_says_what_the_lines_mean(her_passport, nurse_reach,
                                                                 her_nurse):
    from django.test import Client

    from passport.models import ImmunisationDose
    from passport.records import actions
    from tests.conftest import login

    nurse = login(Client(), her_nurse)
    page = f"/p/{her_passport.pk}/immunisations/"
    warning = "No vaccinations are recorded here yet"
    assert warning in nurse.get(page).content.decode()
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": D(2012, 7, 1), "source": "gp_record"})
    assert warning not in nurse.get(page).content.decode()


def _lines(born, given, on=ON):
    return {line.key: line for line in assess(born, doses(*given), on)}


def test_one_dose_fills_one_place_in_the_18_month_cohort():
    """Review: a late 18-month 6-in-1 at 3 years 1 month counted both as the 18-month dose and
    as the pre-school booster; the routine 18-month dose was called 'given too young'."""
    infant = (("6in1", (2024, 10, 27)), ("6in1", (2024, 11, 24)), ("6in1", (2024, 12, 22)))
    late = _lines(D(2024, 9, 1), (*infant, ("6in1", (2027, 10, 1))), D(2027, 11, 1))
    assert late["booster_18m"].status == "complete"
    assert (late["preschool"].status, late["preschool"].due_on) == ("not_yet_due",
                                                                    D(2028, 10, 1))
    routine = _lines(D(2024, 9, 1), (*infant, ("6in1", (2026, 3, 5))))
    assert "too young" not in routine["preschool"].why


def test_a_live_vaccine_is_4_weeks_from_its_own_dose_that_did_not_count():
    """Review: an MMRV at 11 months (ignored) then another 7 days later counted."""
    lines = _lines(D(2025, 1, 5), (("mmrv", (2025, 12, 29)), ("mmrv", (2026, 1, 5))),
                   D(2026, 1, 20))
    assert lines["mmr"].counted == 0 and lines["varicella"].counted == 0
    assert lines["mmr"].due_on == D(2026, 2, 2)


def test_a_dose_with_no_record_of_how_we_know_does_not_count_and_says_so():
    """Review: a dose saved with no source (an old import) counted as documented."""
    lines = {line.key: line for line in assess(D(2011, 6, 1), [
        Dose("mmr", D(2012, 7, 1), ""), Dose("mmr", D(2015, 1, 1), "gp_record")], ON)}
    assert lines["mmr"].counted == 1
    assert "1 dose with no record of how we know is not counted" in lines["mmr"].why


def test_due_dates_in_the_reasons_read_in_the_pages_language():
    from django.utils import translation

    with translation.override("en-gb"):
        why = {line.key: line for line in assess(D(2014, 3, 10), [], ON)}["menacwy"].why
    assert "1 September 2027" in why
