"""What an account may do is decided in passport/access and nowhere else: no module or template
outside it compares an account's role (docs/access.md 1, decision 0036). A new page that needs
to know asks passport.access.capabilities, where the table test will see it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = ("passport/access/", "passport/migrations/")
# `x.role == ...`, `role in {...}`, `Role.NURSE in ...`, `getattr(u, "role") == ...`, and the
# same in a template.
CHECK = re.compile(
    r"\.role\b\s*(==|!=|not\s+in\b|in\b)"
    r"|\brole\b\s*(==|!=)\s*Role\."
    r"|\brole\b\s+(not\s+)?in\s+[{(A-Z]"
    r"|\bRole\.[A-Z_]+\s*(==|!=|not\s+in\b|in\b)"
    r"|[\"']role[\"']\s*(,\s*None\s*)?\)\s*(==|!=|in\b)"
    r"|\bis_health_professional\b(?!\()")
# A contact's role (emergency contact, GP) is not an account's.
NOT_AN_ACCOUNT = re.compile(r"ContactRole")


def offending_lines():
    for top in ("passport", "api", "frontend"):
        for path in sorted((ROOT / top).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            if path.suffix not in {".py", ".html", ".txt"} or rel.startswith(ALLOWED):
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if CHECK.search(line) and not NOT_AN_ACCOUNT.search(line):
                    yield f"{rel}:{n}: {line.strip()}"


def test_no_role_is_compared_outside_the_access_package():
    assert list(offending_lines()) == []


def test_the_scan_would_see_a_role_check():
    """The patterns catch the shapes of role check this codebase has had."""
    for line in ('if user.role == Role.NURSE:', 'if user.role not in HEALTH_ROLES:',
                 'if role in {Role.ADMIN, Role.INTEGRATION}:', 'if Role.YOUNG_PERSON in allowed:',
                 'if getattr(user, "role", None) == Role.YOUNG_PERSON:',
                 '{% if user.role == "carer" %}', 'if request.user.is_health_professional:'):
        assert CHECK.search(line), line
    for line in ('<p role="status">', 'if capabilities.is_young_person(role):',
                 'worker__role=capabilities.CARE_MANAGING_SOCIAL_ROLE'):
        assert not CHECK.search(line), line
