"""Assessment due dates across weekends, English bank holidays and the 5th birthday; a
declined assessment is not a breach. Every expected date was worked out by hand with a
calendar (2026: Good Friday 3 April, Easter Monday 6 April, May bank holidays 4 and 25 May,
Christmas 25 December, Boxing Day observed 28 December)."""

import datetime

import pytest

from passport.clinical.assessment_due import Held, add_working_days, next_due

D = datetime.date


@pytest.mark.parametrize(("start", "expected"), [
    (D(2026, 3, 2), D(2026, 3, 30)),   # Monday 2 March: four clear weeks, no holidays
    (D(2026, 3, 20), D(2026, 4, 21)),  # crosses Good Friday and Easter Monday: +2 days
    (D(2026, 12, 14), D(2027, 1, 14)),  # Christmas, Boxing Day (28th) and New Year's Day
    (D(2026, 5, 1), D(2026, 6, 2)),    # a Friday; early May and spring bank holidays
])
def test_initial_within_20_working_days(start, expected):
    assert add_working_days(start, 20) == expected
    due = next_due(born=D(2015, 1, 1), care_started_on=start, assessments=[],
                   today=start)
    assert (due.kind, due.due_on, due.overdue) == ("initial", expected, False)


def test_an_initial_in_the_3_months_before_care_counts():
    due = next_due(born=D(2015, 1, 1), care_started_on=D(2026, 3, 2),
                   assessments=[Held("initial", D(2026, 1, 10), "done")], today=D(2026, 3, 2))
    assert due.kind == "review" and due.due_on == D(2027, 1, 10)


def test_reviews_every_6_months_under_5_and_12_from_5():
    toddler = next_due(born=D(2023, 6, 1), care_started_on=D(2025, 1, 6),
                       assessments=[Held("initial", D(2025, 1, 20), "done")],
                       today=D(2025, 2, 1))
    assert toddler.due_on == D(2025, 7, 20) and "6 months" in toddler.why
    older = next_due(born=D(2015, 6, 1), care_started_on=D(2025, 1, 6),
                     assessments=[Held("initial", D(2025, 1, 20), "done")], today=D(2025, 2, 1))
    assert older.due_on == D(2026, 1, 20) and "12 months" in older.why


@pytest.mark.parametrize(("rule", "expected"), [
    ("age_at_last", D(2026, 8, 1)),   # 4 years old on the day: 6 months
    ("age_at_due", D(2027, 2, 1)),    # 5 when the 6 months end: 12 months
])
def test_across_the_5th_birthday_the_reading_is_a_setting(rule, expected):
    # Born 1 May 2021: 5 on 1 May 2026; last assessment 1 February 2026, aged 4.
    due = next_due(born=D(2021, 5, 1), care_started_on=D(2024, 1, 8),
                   assessments=[Held("initial", D(2024, 1, 20), "done"),
                                Held("review", D(2026, 2, 1), "done")],
                   today=D(2026, 3, 1), rule=rule)
    assert due.due_on == expected


def test_a_declined_assessment_is_not_a_breach_but_not_brought_is():
    born, started = D(2010, 1, 1), D(2024, 1, 8)
    history = [Held("initial", D(2024, 1, 22), "done")]
    declined = next_due(born=born, care_started_on=started, today=D(2025, 3, 1),
                        assessments=[*history, Held("review", D(2025, 1, 15), "declined")])
    assert declined.due_on == D(2026, 1, 15) and not declined.overdue
    not_brought = next_due(born=born, care_started_on=started, today=D(2025, 3, 1),
                           assessments=[*history, Held("review", D(2025, 1, 15),
                                                       "not_brought")])
    assert not_brought.due_on == D(2025, 1, 22) and not_brought.overdue


def test_short_breaks_carry_no_duty():
    assert next_due(born=D(2012, 1, 1), care_started_on=D(2026, 1, 5), assessments=[],
                    today=D(2026, 6, 1), short_breaks_only=True) is None


# The 5th birthday, worked by hand (docs/clinical-safety/cases/assessment-clock.md).
# Born 15 March 2020, so 5 on 15 March 2025. "age_at_last": under 5 on the day of the last
# assessment means 6 months. "age_at_due": 6 months only if she is still under 5 when they end
# (on her birthday she is 5, so not).
FIFTH_BIRTHDAY_TABLE = [
    # last assessment (age)        age_at_last        age_at_due
    (D(2024, 8, 15),   # 4 y 5 m: 6 months end 15 Feb 2025, before the birthday
     D(2025, 2, 15), D(2025, 2, 15)),
    (D(2024, 9, 15),   # 4 y 6 m: 6 months end on the 5th birthday itself
     D(2025, 3, 15), D(2025, 9, 15)),
    (D(2024, 10, 15),  # 4 y 7 m: 6 months end 15 Apr 2025, after it
     D(2025, 4, 15), D(2025, 10, 15)),
    (D(2025, 2, 15),   # 4 y 11 m
     D(2025, 8, 15), D(2026, 2, 15)),
    (D(2025, 3, 15),   # 5 y 0 m: 12 months either way
     D(2026, 3, 15), D(2026, 3, 15)),
]


@pytest.mark.parametrize(("last", "at_last", "at_due"), FIFTH_BIRTHDAY_TABLE)
def test_the_fifth_birthday_table_worked_by_hand(last, at_last, at_due):
    history = [Held("initial", D(2023, 1, 20), "done"), Held("review", last, "done")]
    for rule, expected in (("age_at_last", at_last), ("age_at_due", at_due)):
        due = next_due(born=D(2020, 3, 15), care_started_on=D(2023, 1, 9), assessments=history,
                       today=last, rule=rule)
        assert due.due_on == expected, rule


def test_a_month_end_birthday_worked_by_hand():
    # Born 31 August 2020, 5 on 31 August 2025. Last at 4 y 6 m: 28 February 2025 (no 31st).
    # Six months on is 28 August 2025: still 4, so 6 months under both readings.
    history = [Held("initial", D(2023, 1, 20), "done"), Held("review", D(2025, 2, 28), "done")]
    for rule in ("age_at_last", "age_at_due"):
        due = next_due(born=D(2020, 8, 31), care_started_on=D(2023, 1, 9), assessments=history,
                       today=D(2025, 3, 1), rule=rule)
        assert due.due_on == D(2025, 8, 28), rule


def test_nothing_is_due_once_care_has_ended_or_after_it_ends():
    history = [Held("initial", D(2024, 1, 22), "done")]
    left = next_due(born=D(2010, 1, 1), care_started_on=D(2024, 1, 8), assessments=history,
                    today=D(2025, 6, 1), care_ended_on=D(2025, 3, 1))
    assert left is None  # review was due 22 Jan 2025, but she left care on 1 March
    leaving = next_due(born=D(2010, 1, 1), care_started_on=D(2024, 1, 8), assessments=history,
                       today=D(2024, 12, 1), care_ended_on=D(2025, 1, 10))
    assert leaving is None  # due 22 Jan 2025, after care ends on 10 Jan
    staying = next_due(born=D(2010, 1, 1), care_started_on=D(2024, 1, 8), assessments=history,
                       today=D(2024, 12, 1), care_ended_on=D(2025, 6, 1))
    assert staying.due_on == D(2025, 1, 22)
