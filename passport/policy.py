"""Who may do what to which section of a passport: PERMISSIONS.md as one table.

The bases by which a user reaches a passport are worked out in one query (`reach`); the table
says what each basis allows per section; `visible` is the one item filter that every read path
shares. Pages and the API never decide access themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from django.db.models import Exists, OuterRef
from django.utils import timezone

from passport.models import HEALTH_ROLES, CareTeamAssignment, Entry, Passport, Role, User


class Basis(StrEnum):
    OWNER = "owner"
    HEALTH_TEAM = "health_team"
    PLACEMENT = "placement"
    SOCIAL_WORK = "social_work"
    GRANT = "grant"
    SHARE_LINK = "share_link"
    BREAK_GLASS = "break_glass"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


SECTIONS = (
    "about_me", "contacts", "immunisations", "birth_history", "family_history", "conditions",
    "assessments", "health_plan", "wellbeing", "sexual_health", "appointments", "my_services",
)

# Cell values: "RW" read and write, "R" read, "G" read only when granted, "-" nothing.
# "RW*" and "R*": with conditions the later issues add (own words only, own plan actions, ...).
_O, _H, _P, _S, _G = (Basis.OWNER, Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK,
                      Basis.GRANT)
TABLE: dict[str, dict[Basis, str]] = {
    "about_me":       {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G"},
    "contacts":       {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G"},
    "immunisations":  {_O: "R",  _H: "RW", _P: "R", _S: "R", _G: "G"},
    "birth_history":  {_O: "R",  _H: "RW", _P: "G", _S: "G", _G: "G"},
    "family_history": {_O: "R",  _H: "RW", _P: "-", _S: "-", _G: "G"},
    "conditions":     {_O: "RW", _H: "RW", _P: "R", _S: "G", _G: "G"},
    "assessments":    {_O: "R",  _H: "RW", _P: "G", _S: "G", _G: "G"},
    "health_plan":    {_O: "R",  _H: "RW", _P: "R*", _S: "R", _G: "G"},
    "wellbeing":      {_O: "RW", _H: "RW", _P: "G", _S: "G", _G: "G"},
    "sexual_health":  {_O: "RW", _H: "G",  _P: "-", _S: "-", _G: "G"},
    "appointments":   {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G"},
    "my_services":    {_O: "RW", _H: "-",  _P: "-", _S: "-", _G: "-"},
}

# Which basis a logged read names when a user holds several: the most specific first.
PRECEDENCE = (Basis.OWNER, Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK, Basis.GRANT)
# Private items: only these bases see them, whatever the section's column says.
PRIVATE_BASES = frozenset({Basis.OWNER, Basis.HEALTH_TEAM})


def cell_allows(cell: str, action: Action, granted: bool) -> bool:
    if cell == "G":
        return granted and action is Action.READ
    if action is Action.WRITE:
        return cell.startswith("RW")
    return cell.startswith("R")


@dataclass(frozen=True)
class Reach:
    """How one user reaches one passport, worked out once per request."""

    user: User
    passport: Passport
    bases: frozenset[Basis]
    granted_sections: frozenset[str] = field(default_factory=frozenset)

    def basis_for(self, section: str, action: Action) -> Basis | None:
        row = TABLE[section]
        for basis in PRECEDENCE:
            if basis in self.bases and cell_allows(
                row.get(basis, "-"), action, section in self.granted_sections
            ):
                return basis
        return None

    def can(self, section: str, action: Action = Action.READ) -> bool:
        return self.basis_for(section, action) is not None

    @property
    def is_owner(self) -> bool:
        return Basis.OWNER in self.bases


def reach(user: User, passport_id: UUID, today: datetime.date | None = None) -> Reach | None:
    """The passport and the user's bases to it, in one query; None when there are none."""
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    on_team = CareTeamAssignment.objects.filter(
        passport=OuterRef("pk"), professional=user, ended_at__isnull=True
    )
    row = (
        Passport.objects.filter(pk=passport_id, erased_at__isnull=True)
        .annotate(_on_team=Exists(on_team))
        .first()
    )
    if row is None:
        return None
    bases = set()
    if row.owner_id == user.pk and user.role == Role.YOUNG_PERSON:
        bases.add(Basis.OWNER)
    if row._on_team and user.role in HEALTH_ROLES and in_care_on(row, today):
        bases.add(Basis.HEALTH_TEAM)
    return Reach(user, row, frozenset(bases)) if bases else None


def in_care_on(passport: Passport, today: datetime.date) -> bool:
    return passport.care_ended_on is None or passport.care_ended_on > today


E = TypeVar("E", bound=Entry)


def visible(reach: Reach, entries: Iterable[E]) -> list[E]:
    """The one item filter: private entries only through owner and health team."""
    sees_private = bool(reach.bases & PRIVATE_BASES)
    return [e for e in entries if sees_private or not e.is_private]
