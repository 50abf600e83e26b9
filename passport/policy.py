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

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from passport import keys
from passport.models import (
    HEALTH_ROLES,
    CareTeamAssignment,
    Entry,
    Passport,
    Revision,
    Role,
    User,
)


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
    # Care episodes are not a passport section in PERMISSIONS.md; decision 0007.
    "care":           {_O: "R",  _H: "RW", _P: "-", _S: "R", _G: "-"},
}

# Which basis a logged read names when a user holds several: the most specific first.
PRECEDENCE = (Basis.OWNER, Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK, Basis.GRANT)
# Private items: only these bases see them, whatever the section's column says.
PRIVATE_BASES = frozenset({Basis.OWNER, Basis.HEALTH_TEAM})


def cell_allows(cell: str, action: Action, granted: bool) -> bool:
    if cell == "G":
        return granted and action == Action.READ
    if action == Action.WRITE:
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


def _reachable(user: User, today: datetime.date) -> QuerySet[Passport]:
    """Live passports, each annotated with whether the user reaches it as owner or through the
    health team: the bases in one query, for one passport or a whole list."""
    in_care = Q(care_ended_on__isnull=True) | Q(care_ended_on__gt=today)
    on_team = Q(Exists(CareTeamAssignment.objects.filter(
        passport=OuterRef("pk"), professional=user, ended_at__isnull=True)))
    if user.role == Role.TEAM_LEAD and user.team_id:
        # The team lead of the team that holds the young person's health care.
        on_team |= Q(health_team_id=user.team_id)
    never = Value(False, output_field=BooleanField())
    is_owner = (
        ExpressionWrapper(Q(owner=user), output_field=BooleanField())
        if user.role == Role.YOUNG_PERSON else never
    )
    is_team = (
        ExpressionWrapper(on_team & in_care, output_field=BooleanField())
        if user.role in HEALTH_ROLES else never
    )
    passports = Passport.objects.filter(erased_at__isnull=True)
    erased = keys.erasure_ledger().erased_ids()
    if erased:  # a restored backup, before apply_erasure_ledger has run
        passports = passports.exclude(pk__in=[UUID(pk) for pk in erased])
    return passports.annotate(_owner=is_owner, _team=is_team)


def _reach_of(user: User, row: Passport) -> Reach | None:
    bases = set()
    if row._owner:
        bases.add(Basis.OWNER)
    if row._team:
        bases.add(Basis.HEALTH_TEAM)
    return Reach(user, row, frozenset(bases)) if bases else None


def reach(user: User, passport_id: UUID, today: datetime.date | None = None) -> Reach | None:
    """The passport and the user's bases to it, in one query; None when there are none."""
    if not user.is_authenticated:
        return None
    row = _reachable(user, today or timezone.localdate()).filter(pk=passport_id).first()
    return _reach_of(user, row) if row is not None else None


def reachable(user: User, today: datetime.date | None = None) -> list[Reach]:
    """Every passport the user reaches, with the same bases `reach` would give, in one query."""
    if not user.is_authenticated:
        return []
    rows = _reachable(user, today or timezone.localdate()).filter(Q(_owner=True) | Q(_team=True))
    return [found for row in rows if (found := _reach_of(user, row)) is not None]



E = TypeVar("E", bound=Entry)


def visible(reach: Reach, entries: Iterable[E]) -> list[E]:
    """The one item filter: private entries only through owner and health team."""
    sees_private = bool(reach.bases & PRIVATE_BASES)
    return [e for e in entries if sees_private or not e.is_private]


def visible_revisions(reach: Reach, revisions: Iterable[Revision]) -> list[Revision]:
    """The same filter for history: a version that was private stays hidden from those who
    may not see private entries, even once the entry is no longer private."""
    sees_private = bool(reach.bases & PRIVATE_BASES)
    return [r for r in revisions if sees_private or not r.fields.get("is_private")]
