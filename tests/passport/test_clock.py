"""Assessment due dates across weekends, English bank holidays and the 5th birthday; a
declined assessment is not a breach. Every expected date was worked out by hand with a
calendar (2026: Good Friday 3 April, Easter Monday 6 April, May bank holidays 4 and 25 May,
Christmas 25 December, Boxing Day observed 28 December)."""

import datetime

import pytest

from passport.clock import Held, add_working_days, next_due

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
