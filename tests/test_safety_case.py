"""The hazard log and the security statement name the tests that prove their controls: this
fails, naming the hazard or the requirement, when a named test does not exist, when a control
names no test, or when a hazard's risk does not follow the DCB0129 matrix."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
SECURITY_STATEMENT = ROOT / "docs" / "governance" / "security-statement.md"

TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::([\w:]+)(?:\[[^\]]*\])?`")
CONSEQUENCES = ["Minor", "Significant", "Considerable", "Major", "Catastrophic"]
LIKELIHOODS = ["Very low", "Low", "Medium", "High", "Very high"]
RISK = {  # DCB0129: likelihood, then consequence from Minor to Catastrophic
    "Very high": [3, 4, 4, 5, 5], "High": [2, 3, 3, 4, 5], "Medium": [2, 2, 3, 3, 4],
    "Low": [1, 2, 2, 3, 4], "Very low": [1, 1, 2, 2, 3],
}
RATING = re.compile(r"^- (Before|With) controls: (\w+) × ([\w ]+?) = (\d)\b", re.M)


@cache
def defined_tests(path: str) -> frozenset[str]:
    """The test functions a file defines, as `name` or `Class::name`."""
    file = ROOT / path
    if not file.is_file():
        return frozenset()
    names = set()
    for node in ast.parse(file.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(name for name in names if name.split("::")[-1].startswith("test_"))


def missing_tests(text: str) -> list[str]:
    return [f"{path}::{name}" for path, name in TEST_ID.findall(text)
            if name not in defined_tests(path)]


def hazards(text: str) -> dict[str, str]:
    parts = re.split(r"^### (H-\d+):", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def problems_with_hazard(body: str) -> list[str]:
    found = []
    for field in ("Cause", "Effect"):
        if not re.search(rf"^- {field}: \S", body, re.M):
            found.append(f"no {field.lower()}")
    controls = re.search(r"^- Controls:\n((?:  .*\n?)+)", body, re.M)
    if not controls:
        return [*found, "no controls"]
    # One control is a bullet with its continuation lines; each must name a test.
    for control in re.split(r"^  - ", controls.group(1), flags=re.M)[1:]:
        if not TEST_ID.search(control):
            found.append(f"a control with no test: {control.split(':')[0].strip()}")
    found += [f"no such test: {test}" for test in missing_tests(body)]
    ratings = RATING.findall(body)
    if sorted(kind for kind, *_ in ratings) != ["Before", "With"]:
        found.append("needs one 'Before controls' and one 'With controls' rating")
    for kind, consequence, likelihood, risk in ratings:
        if consequence not in CONSEQUENCES or likelihood not in LIKELIHOODS:
            found.append(f"{kind.lower()} controls: unknown consequence or likelihood")
        elif RISK[likelihood][CONSEQUENCES.index(consequence)] != int(risk):
            found.append(f"{kind.lower()} controls: {consequence} × {likelihood} is "
                         f"{RISK[likelihood][CONSEQUENCES.index(consequence)]}, not {risk}")
    return found


def requirements(text: str) -> list[tuple[str, str]]:
    """Rows of the security statement's tables: (ASVS id, the rest of the row)."""
    return re.findall(r"^\| (V\d+\.\d+\.\d+) \|(.*)$", text, re.M)


def test_the_checker_names_what_is_wrong():
    body = """
- Cause: a cause.
- Effect: an effect.
- Before controls: Major × Medium = 4
- Controls:
  - a checked control: `tests/test_safety_case.py::test_the_checker_names_what_is_wrong`
  - a control nobody tests
  - a control whose test has gone: `tests/test_safety_case.py::test_that_was_deleted`
- With controls: Major × Very low = 2
"""
    assert problems_with_hazard(body) == [
        "a control with no test: a control nobody tests",
        "no such test: tests/test_safety_case.py::test_that_was_deleted",
        "before controls: Major × Medium is 3, not 4",
    ]
    assert missing_tests("`tests/nowhere.py::test_x` and `tests/test_safety_case.py::"
                         "test_the_checker_names_what_is_wrong[a-1]`") == [
        "tests/nowhere.py::test_x"]


def test_the_hazard_log_is_complete():
    found = hazards(HAZARD_LOG.read_text())
    assert len(found) >= 27
    assert list(found) == [f"H-{n:02}" for n in range(1, len(found) + 1)]  # none lost


@pytest.mark.parametrize("hazard", sorted(hazards(HAZARD_LOG.read_text())))
def test_every_hazard_control_names_a_test_that_exists(hazard):
    assert problems_with_hazard(hazards(HAZARD_LOG.read_text())[hazard]) == [], hazard


def test_every_asvs_requirement_names_a_test_that_exists():
    rows = requirements(SECURITY_STATEMENT.read_text())
    assert len(rows) >= 40
    problems = {}
    for requirement, rest in rows:
        if not TEST_ID.search(rest):
            problems[requirement] = ["no test named"]
        elif missing := missing_tests(rest):
            problems[requirement] = missing
    assert problems == {}
    ids = [requirement for requirement, _ in rows]
    assert len(ids) == len(set(ids)), "a requirement is listed twice"
