"""Her people, set up the way the app sets them up: through its actions, so that each placement,
social-work assignment and share writes its audit row (and a share made for her, her wishes), as
in real use, and a test never holds a state the app could not reach.

    carer = place(her_passport, "carer.sam", "Sam Jones")
    worker = assign(her_passport, "sw.marcus", "Marcus Reid")
    share(her_passport, gp, ["conditions", "immunisations"])

`her_people` builds the cast most permission tests use: someone for each basis.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from passport.access import sharing
from passport.access.policy import reach
from passport.models import CareTeamAssignment, Control, Grant, Passport, Role, User
from tests.conftest import make_user

WISHES = "She asked for this at her review."


def _health_team_member(passport: Passport) -> User:
    assigned = CareTeamAssignment.objects.filter(passport=passport).select_related(
        "professional").order_by("started_at").first()
    assert assigned is not None, "the passport has no health team member to act"
    return assigned.professional


def place(passport: Passport, carer: User | str, name: str = "",
          started_on: datetime.date | None = None, by: User | None = None) -> User:
    """Her carer (an account, or made from a username and name), placed by her nurse (or
    `by`) from `started_on` (today), confirmed that day."""
    if isinstance(carer, str):
        carer = make_user(carer, Role.CARER, name)
    sharing.do_place(by or _health_team_member(passport), passport, carer,
                     started_on or timezone.localdate())
    return carer


def assign(passport: Passport, worker: User | str, name: str = "",
           role: str = Role.SOCIAL_WORKER, by: User | None = None) -> User:
    """Her social worker (or, with `role`, her personal adviser), assigned by her nurse (or
    `by`)."""
    if isinstance(worker, str):
        worker = make_user(worker, role, name)
    sharing.do_assign_social_work(by or _health_team_member(passport), passport, worker)
    return worker


def share(passport: Passport, grantee: User, sections: list[str],
          until: datetime.date | None = None) -> Grant:
    """Share `sections` with `grantee` as whoever decides her sharing today: she herself once
    she manages it; until then her nurse, with her wishes recorded. Sexual health only she can
    share: a test that needs it has her manage her sharing first (`decide_sharing`)."""
    passport.refresh_from_db()
    decider = (passport.owner if passport.control == Control.SELF_MANAGED
               else _health_team_member(passport))
    return sharing.do_grant(reach(decider, passport.pk), grantee=grantee, sections_=sections,
                            until=until, wishes=WISHES,
                            family_history_understood="family_history" in sections)


def decide_sharing(passport: Passport, control: str) -> None:
    """Her nurse records who manages her sharing: she herself (`Control.SELF_MANAGED`, judged
    competent to decide) or her nurse with her wishes (`Control.SUPPORTED`)."""
    sharing.do_set_control(reach(_health_team_member(passport), passport.pk), control,
                           reason="Talked it through with her at her review.")


def her_people(passport: Passport, granted: list[str]) -> dict[str, User]:
    """Someone for each basis but her own and her health team's: Sam Jones placed with her
    today, Marcus Reid her social worker, Dr Grace GP granted `granted`."""
    gp = make_user("gp.grace", Role.DOCTOR, "Dr Grace GP")
    cast = {"placement": place(passport, "carer.sam", "Sam Jones"),
            "social_work": assign(passport, "sw.marcus", "Marcus Reid"), "grant": gp}
    share(passport, gp, granted)
    return cast
