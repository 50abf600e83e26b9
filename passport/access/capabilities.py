"""What a person may do beyond reading sections, decided here, beside the section table, by what
their account is (docs/access.md 1). Pages show a link only when the capability says so, and the
page behind the link asks the same function, so the two never disagree.

The hand-written table these are tested against is in tests/frontend/test_capabilities.py."""

from __future__ import annotations

from dataclasses import dataclass

from passport.models import HEALTH_ROLES, Role, User

FIGURES_VIEWERS = frozenset({Role.DESIGNATED, Role.TEAM_LEAD})
TASK_HOLDERS = HEALTH_ROLES | {Role.SOCIAL_WORKER}
INVITERS = HEALTH_ROLES | {Role.ADMIN}


def _role(user: User | None) -> str:
    return getattr(user, "role", "") if user is not None and user.is_authenticated else ""


def can_view_figures(user: User | None) -> bool:
    """The area's counts: the designated professional and the team lead (which areas:
    passport.care.figures.areas_for, those of her own organisation)."""
    return _role(user) in FIGURES_VIEWERS


def can_review_break_glass(user: User | None) -> bool:
    """The Caldicott guardian of an organisation reviews its break-glass uses."""
    return _role(user) == Role.CALDICOTT and user.organisation_id is not None


def has_tasks(user: User | None) -> bool:
    """Health professionals and social workers have a list of things to do."""
    return _role(user) in TASK_HOLDERS


def can_break_glass(user: User | None) -> bool:
    """A health professional may ask to break glass (passport.access.breakglass decides for
    which young person and section)."""
    return _role(user) in HEALTH_ROLES


def can_invite(user: User | None) -> bool:
    """Admins and the health team invite people (which roles each may invite:
    passport.accounts.invitations.roles_for)."""
    return _role(user) in INVITERS


def sees_caseload_nurses(user: User | None) -> bool:
    """A team lead's caseload names each young person's nurse or doctor."""
    return _role(user) == Role.TEAM_LEAD


def is_young_person(user: User | None) -> bool:
    return _role(user) == Role.YOUNG_PERSON


@dataclass(frozen=True)
class Capabilities:
    """For templates: `can.view_figures` and the rest."""
    view_figures: bool
    review_break_glass: bool
    tasks: bool
    break_glass: bool
    invite: bool
    caseload_nurses: bool
    own_passport: bool


def of(user: User | None) -> Capabilities:
    return Capabilities(can_view_figures(user), can_review_break_glass(user), has_tasks(user),
                        can_break_glass(user), can_invite(user), sees_caseload_nurses(user),
                        is_young_person(user))
