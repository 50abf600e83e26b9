"""The engine against the cases worked by hand from the published sources before it was built
(docs/clinical-safety/cases/immunisation.md), and the data table against its sources: a row
without its passage fails."""

import datetime
import re
from pathlib import Path

import pytest

from passport.clinical import vaccine_schedule
from passport.clinical.immunisation import Dose, Facts, assess

CASES = Path(__file__).resolve().parents[2] / "docs/clinical-safety/cases/immunisation.md"
SOURCES = {"word": "young_persons_word", "carer": "carers_word", "abroad": "abroad"}


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.strip())


def _doses(text: str) -> list[Dose]:
    if text.strip() == "-":
        return []
    doses = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\w+) (\d{4}-\d\d-\d\d)(?: \((\w+)\))?\s*", part)
        assert match, f"cannot read the dose {part!r}"
        vaccine, day, source = match.groups()
        doses.append(Dose(vaccine, _date(day), SOURCES[source] if source else "gp_record"))
    return doses


def _facts(text: str) -> Facts:
    values: dict = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part == "-":
            continue
        if part.startswith("history "):
            values["history"] = part.removeprefix("history ")
        elif part == "chickenpox":
            values["had_chickenpox"] = True
        elif part in ("female", "male"):
            values["sex"] = part
        elif part == "pregnant":
            values["pregnant"] = True
        elif part.startswith("pregnant until "):
            values |= {"pregnant": True,
                       "delivery_on": _date(part.removeprefix("pregnant until "))}
        else:
            raise AssertionError(f"cannot read the fact {part!r}")
    return Facts(**values)


def _expected(text: str) -> dict[str, tuple[str, datetime.date | None]]:
    expected = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, status, *due = part.split()
        expected[key] = (status, _date(due[0]) if due else None)
    return expected


def _rows():
    for line in CASES.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[A-H]\d+", cells[0]):
            yield pytest.param(*cells, id=cells[0])


ROWS = list(_rows())


def test_there_are_at_least_100_cases():
    assert len(ROWS) >= 100


@pytest.mark.parametrize(("case", "born", "on", "given", "facts", "expected"), ROWS)
def test_the_case_worked_by_hand(case, born, on, given, facts, expected):
    lines = {line.key: line for line in assess(_date(born), _doses(given), _date(on),
                                               facts=_facts(facts))}
    got = {}
    for key, (status, due) in _expected(expected).items():
        if status == "absent":
            got[key] = ("absent", None) if key not in lines else (lines[key].status, None)
            continue
        assert key in lines, f"{case}: no line {key}"
        line = lines[key]
        got[key] = (line.status, line.due_on if due else None)
    assert got == _expected(expected), case
    assert all(line.why for line in lines.values())  # every line says why


def test_every_row_of_the_table_names_its_source():
    for name, row in vaccine_schedule.rows().items():
        assert row.standing in (vaccine_schedule.PRIMARY, vaccine_schedule.SECONDARY,
                                vaccine_schedule.UNCONFIRMED), name
        assert row.quote, f"{name}: no passage (or, unconfirmed, what was looked for)"
        if row.standing != vaccine_schedule.UNCONFIRMED:
            assert row.document and row.date, f"{name}: no document or date"


def test_a_line_decided_by_an_unconfirmed_rule_says_so():
    born = datetime.date(2016, 5, 1)  # the Hib upper age is unconfirmed
    lines = {line.key: line for line in assess(born, [], datetime.date(2026, 12, 6))}
    assert lines["hib_menc"].status == "past_age_limit"
    assert "not confirmed" in lines["hib_menc"].why
    assert "not confirmed" not in lines["mmr"].why


def test_the_birth_doses_for_a_baby_of_a_mother_with_hepatitis_b_are_not_too_young():
    """The selective neonatal programme's monovalent doses at birth and 4 weeks are extra to
    the 6-in-1 course: the line says what they are, never 'given too young'."""
    born = datetime.date(2026, 8, 1)
    doses = [Dose("hepb", born, "gp_record"), Dose("hepb", datetime.date(2026, 8, 29),
                                                   "gp_record"),
             Dose("6in1", datetime.date(2026, 9, 26), "gp_record")]
    hepb = next(line for line in assess(born, doses, datetime.date(2026, 10, 1))
                if line.key == "hepb")
    assert (hepb.status, hepb.due_on, hepb.counted) == ("not_yet_due",
                                                        datetime.date(2026, 10, 24), 1)
    assert "extra ones for a baby whose mother has hepatitis B" in hepb.why
    assert "too young" not in hepb.why
    assert "not confirmed yet" in hepb.why  # the programme's passage is still to be found
