"""Who may do what to which section of a passport: docs/access.md as one table.

The bases by which a user reaches a passport are worked out in one query (`reach`); the table
says what each basis allows per section; `visible` is the one item filter that every read path
shares. Pages and the API never decide access themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TypeVar
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
)
from django.utils import timezone

from passport.access.capabilities import HEALTH_ROLES, NEVER_GRANTED
from passport.encryption import keys
from passport.models import (
    HOLDABLE_SECTIONS,
    BreakGlass,
    CareTeamAssignment,
    Control,
    ControlDecision,
    Entry,
    Grant,
    HeldBack,
    Passport,
    Placement,
    Revision,
    Role,
    ShareLink,
    SocialWorkAssignment,
    User,
)
from passport.models import (
    EpisodeOutcome as CareOutcome,
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


# Cell values: "RW" read and write, "R" read, "G" read only when granted, "GW" read and write
# when granted, "-" nothing, "X" never: not even through another basis the same person holds
# (a carer never reads family history, not even by grant). "R*": the placement reads only the
# plan actions a carer owns (the item filter, `visible`).
_O, _H, _P, _S, _G, _L = (Basis.OWNER, Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK,
                          Basis.GRANT, Basis.SHARE_LINK)
TABLE: dict[str, dict[Basis, str]] = {
    "about_me":       {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G", _L: "G"},
    "contacts":       {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G", _L: "G"},
    "immunisations":  {_O: "R",  _H: "RW", _P: "R", _S: "R", _G: "G", _L: "G"},
    "birth_history":  {_O: "R",  _H: "RW", _P: "G", _S: "G", _G: "G", _L: "G"},
    "family_history": {_O: "R",  _H: "RW", _P: "X", _S: "-", _G: "G", _L: "G"},
    "conditions":     {_O: "RW", _H: "RW", _P: "R", _S: "G", _G: "G", _L: "G"},
    "assessments":    {_O: "R",  _H: "RW", _P: "G", _S: "G", _G: "G", _L: "G"},
    "health_plan":    {_O: "R",  _H: "RW", _P: "R*", _S: "R", _G: "G", _L: "G"},
    "wellbeing":      {_O: "RW", _H: "RW", _P: "G", _S: "G", _G: "G", _L: "G"},
    "sexual_health":  {_O: "RW", _H: "GW", _P: "-", _S: "-", _G: "G", _L: "G"},
    "appointments":   {_O: "RW", _H: "RW", _P: "R", _S: "R", _G: "G", _L: "G"},
    "my_services":    {_O: "RW", _H: "-",  _P: "-", _S: "-", _G: "-", _L: "-"},
    # Her notes for herself alone: not in docs/access.md's first table (decision 0058).
    "my_notes":       {_O: "RW", _H: "-",  _P: "-", _S: "-", _G: "-", _L: "-"},
    # Care episodes are not a passport section in docs/access.md; decision 0007.
    "care":           {_O: "R",  _H: "RW", _P: "-", _S: "R", _G: "-", _L: "-"},
}

# Which basis a logged read names when a user holds several: the most specific first.
PRECEDENCE = (Basis.OWNER, Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK, Basis.GRANT,
              Basis.SHARE_LINK, Basis.BREAK_GLASS)
# Private items: only these bases see them, whatever the section's column says.
PRIVATE_BASES = frozenset({Basis.OWNER, Basis.HEALTH_TEAM})
# "Hide now" (docs/access.md): an overlay that leaves owner and health team as they are and
# narrows every other basis to these sections (and, of contacts, the emergency ones).
HIDE_NOW_KEEPS = frozenset({"conditions", "contacts"})
# ...and her carer keeps the health plan's actions she owns (her own tasks, which she knew
# already): taking them away would stop the care and tell her that "hide now" is on
# (docs/clinical-safety/hazard-log.md H-30).
HIDE_NOW_KEEPS_FOR = {Basis.PLACEMENT: frozenset({"health_plan"})}
UNHIDDEN_BASES = frozenset({Basis.OWNER, Basis.HEALTH_TEAM})


def cell_allows(cell: str, action: Action, granted: bool) -> bool:
    if cell == "G":
        return granted and action == Action.READ
    if cell == "GW":
        return granted
    if action == Action.WRITE:
        return cell.startswith("RW")
    return cell.startswith("R")


@dataclass(frozen=True)
class Reach:
    """How one user reaches one passport, worked out once per request."""

    user: User | AnonymousUser
    passport: Passport
    bases: frozenset[Basis]
    granted_sections: frozenset[str] = field(default_factory=frozenset)
    # Through a share link: the use (who opened it with its code), named in every logged read.
    link_use_id: UUID | None = None
    # Break glass: the one section it opened, and the record every logged read names.
    glass_section: str = ""
    glass_id: UUID | None = None

    def basis_for(self, section: str, action: Action) -> Basis | None:
        row = TABLE[section]
        # "Never": for the role itself, placed now or not (a carer whose placement ended
        # still never reads family history through a grant).
        role = getattr(self.user, "role", None)  # a share link's viewer has no account
        if any(row.get(basis) == "X" for basis in self.bases) or (
                role == Role.CARER and row.get(Basis.PLACEMENT) == "X"):
            return None
        for basis in PRECEDENCE:
            if basis is Basis.PLACEMENT and section in (self.passport.placement_hidden or ()):
                continue  # she took it out of her carer's view
            if basis is Basis.BREAK_GLASS:
                if section == self.glass_section and action == Action.READ:
                    return basis  # one section, read only; "hide now" does not stop it
                continue
            if (self.hidden_now and basis not in UNHIDDEN_BASES
                    and section not in HIDE_NOW_KEEPS
                    and section not in HIDE_NOW_KEEPS_FOR.get(basis, ())):
                continue  # "hide now": an overlay that only ever narrows
            if basis in self.bases and cell_allows(
                row.get(basis, "-"), action, section in self.granted_sections
            ):
                return basis
        return None

    def can(self, section: str, action: Action = Action.READ) -> bool:
        return self.basis_for(section, action) is not None

    def logged_as(self, section: str = "about_me") -> tuple[str, UUID | None]:
        """The basis an event this reach makes is logged with, and the record it names. Under
        a break glass that is the break glass, naming its record, so the event obeys the
        glass's delay in her log (an export, a booklet, anything, not only the read)."""
        basis = self.basis_for(section, Action.READ)
        if self.glass_id and basis in (None, Basis.BREAK_GLASS):
            return Basis.BREAK_GLASS, self.glass_id
        return (basis or ""), None

    def as_health_team(self, section: str) -> bool:
        """Writes `section` because she is on the young person's health team (the work only
        her team does: assessments, holds, imports, the leaver's summary)."""
        return self.basis_for(section, Action.WRITE) is Basis.HEALTH_TEAM

    def require_health_team(self, section: str) -> None:
        if not self.as_health_team(section):
            raise PermissionDenied

    @property
    def is_owner(self) -> bool:
        return Basis.OWNER in self.bases

    @property
    def hidden_now(self) -> bool:
        return self.passport.hidden_now_since is not None

    @cached_property
    def held_ids(self) -> frozenset[UUID]:
        """The entries held back from the young person (serious-harm test): asked once per
        request, and only when a holdable section is read."""
        return frozenset(HeldBack.objects.filter(passport=self.passport, released_at__isnull=True)
                         .values_list("entry_id", flat=True))

    @property
    def sees_held(self) -> bool:
        """Held entries are invisible to the young person and to anyone she shares with:
        only her health team sees them (docs/architecture.md 4)."""
        return Basis.HEALTH_TEAM in self.bases

    @property
    def sees_sex(self) -> bool:
        """Her sex for vaccines and growth charts is a private fact: she and her health team
        see it, and only what they read may depend on it."""
        return self.is_owner or Basis.HEALTH_TEAM in self.bases

    def sex(self) -> str:
        """Her sex for this reader: "" (as if not recorded) for anyone else, so that nothing
        they read (an HPV line present or not) tells it."""

        if not self.sees_sex:
            return ""
        return self.passport.sex or ""


# A placement lapses 6 calendar months after it was last confirmed: confirmed on 27 May, the
# carer reads until 27 November inclusive (decision 0011).
PLACEMENT_CONFIRMATION = relativedelta(months=6)
ADVISER_FROM_AGE = 16
BREAK_GLASS_UNDER = 18


def _live(today: datetime.date) -> QuerySet[Passport]:
    """Passports anyone may reach at all: not erased, not sealed."""
    # Adopted: sealed on the day care ends, once a second person has confirmed the adoption;
    # no one reads it through the app, owner included.
    passports = Passport.objects.filter(erased_at__isnull=True).exclude(
        care_outcome=CareOutcome.ADOPTED, care_ended_on__lte=today,
        adoption_confirmed_at__isnull=False)
    erased = keys.erasure_ledger().erased_ids()
    if erased:  # a restored backup, before apply_erasure_ledger has run
        passports = passports.exclude(pk__in=[UUID(pk) for pk in erased])
    return passports


def _reachable(user: User, today: datetime.date) -> QuerySet[Passport]:
    """Live passports, each annotated with every basis by which the user reaches it: the
    bases in one query, for one passport or a whole list."""
    in_care = Q(care_ended_on__isnull=True) | Q(care_ended_on__gt=today)
    never = Value(False, output_field=BooleanField())

    def flag(applies: bool, condition: Callable[[], Q]) -> ExpressionWrapper | Value:
        # Built only for the roles it can apply to: a young person's page opens with none of
        # the others' subqueries to build (a third of her passport page's time).
        return ExpressionWrapper(condition(), output_field=BooleanField()) if applies else never

    def on_team() -> Q:
        assigned = Q(Exists(CareTeamAssignment.objects.filter(
            passport=OuterRef("pk"), professional=user, ended_at__isnull=True)))
        if user.role == Role.TEAM_LEAD and user.team_id:
            # The team lead of the team that holds the young person's health care.
            assigned |= Q(health_team_id=user.team_id)
        return assigned & in_care

    def placed() -> Q:
        return Q(Exists(Placement.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today), passport=OuterRef("pk"),
            carer=user, started_on__lte=today,
            confirmed_on__gte=today - PLACEMENT_CONFIRMATION))) & in_care

    def social() -> Q:
        # A social worker while care lasts; a personal adviser also after it, for a care
        # leaver who agreed (docs/access.md, when care ends).
        assigned = Q(Exists(SocialWorkAssignment.objects.filter(
            passport=OuterRef("pk"), worker=user, ended_at__isnull=True)))
        return assigned & (in_care if user.role == Role.SOCIAL_WORKER else
                           in_care | Q(care_outcome=CareOutcome.CARE_LEAVER,
                                       adviser_agreed=True))

    health = user.role in HEALTH_ROLES
    glass = (BreakGlass.objects.filter(passport=OuterRef("pk"), user=user,
                                       expires_at__gt=timezone.now()).order_by("-opened_at")
             if health else None)
    grants = Grant.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today), passport=OuterRef("pk"), grantee=user,
        revoked_at__isnull=True) if user.role not in NEVER_GRANTED else None
    return _live(today).annotate(
        _owner=flag(user.role == Role.YOUNG_PERSON, lambda: Q(owner=user)),
        _team=flag(health, on_team),
        _placement=flag(user.role == Role.CARER, placed),
        _social=flag(user.role in {Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER}, social),
        _grant=Subquery(grants.order_by("-granted_at").values("sections")[:1],
                        output_field=JSONField())
        if grants is not None else Value(None, output_field=JSONField()),
        _glass_section=Subquery(glass.values("section")[:1])
        if health else Value(None, output_field=CharField()),
        _glass_id=Subquery(glass.values("id")[:1])
        if health else Value(None, output_field=UUIDField()),
        _team_org=F("health_team__organisation_id"),
    )


def _reach_of(user: User, row: Passport, today: datetime.date) -> Reach | None:
    bases = set()
    for flag_name, basis in (("_owner", Basis.OWNER), ("_team", Basis.HEALTH_TEAM),
                             ("_placement", Basis.PLACEMENT), ("_social", Basis.SOCIAL_WORK)):
        if getattr(row, flag_name):
            bases.add(basis)
    if Basis.SOCIAL_WORK in bases and user.role == Role.PERSONAL_ADVISER:
        # a personal adviser from 16 (docs/clinical-rules.md 5)
        born = row.born
        if born is None or today < born + relativedelta(years=ADVISER_FROM_AGE):
            bases.discard(Basis.SOCIAL_WORK)
    granted = frozenset(row._grant or ())
    if granted:
        bases.add(Basis.GRANT)
    glass_section, glass_id = row._glass_section or "", row._glass_id
    in_care = row.care_ended_on is None or row.care_ended_on > today
    # Still eligible at every request: leaving her team ends a break glass at once.
    eligible = (user.team_id is not None and user.team_id == row.health_team_id) or (
        user.named_safeguarding_nurse and user.organisation_id is not None
        and user.organisation_id == row._team_org)
    if glass_section and eligible and in_care and _under(row, BREAK_GLASS_UNDER, today):
        bases.add(Basis.BREAK_GLASS)  # under-18s in care only (docs/architecture.md 5)
    else:
        glass_section, glass_id = "", None
    if not bases:
        return None
    return Reach(user, row, frozenset(bases), granted, glass_section=glass_section,
                 glass_id=glass_id)


def _under(passport: Passport, years: int, today: datetime.date) -> bool:
    born = passport.born
    return born is not None and today < born + relativedelta(years=years)


def reach(user: User, passport_id: UUID, today: datetime.date | None = None) -> Reach | None:
    """The passport and the user's bases to it, in one query; None when there are none."""
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    row = _reachable(user, today).filter(pk=passport_id).first()
    return _reach_of(user, row, today) if row is not None else None


def reachable(user: User, today: datetime.date | None = None) -> list[Reach]:
    """Every passport the user reaches, with the same bases `reach` would give, in one query."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    rows = _reachable(user, today).filter(pk__in=_candidates(user)).filter(
        Q(_owner=True) | Q(_team=True) | Q(_placement=True) | Q(_social=True)
        | Q(_grant__isnull=False) | Q(_glass_section__isnull=False))
    return [found for row in rows if (found := _reach_of(user, row, today)) is not None]


def _candidates(user: User) -> QuerySet:
    """The ids of every passport the user has any link to (a superset of what they reach), so
    that a list asks the bases of a few dozen passports, not of every one in the region: with
    10,000 passports, the bases of all of them cost a caseload 50 ms."""
    links = [Passport.objects.filter(owner=user).values("pk")]
    links += [model.objects.filter(**{who: user}).values("passport_id") for model, who in (
        (CareTeamAssignment, "professional"), (Placement, "carer"),
        (SocialWorkAssignment, "worker"), (Grant, "grantee"), (BreakGlass, "user"))]
    if user.role == Role.TEAM_LEAD and user.team_id:
        links.append(Passport.objects.filter(health_team_id=user.team_id).values("pk"))
    return links[0].union(*links[1:])


DORMANT = "dormant"


def _lacks_capacity(passport: Passport) -> bool:
    """The nurse's last decision kept her supported when she was 16 or over: the recorded
    finding that she lacks capacity to manage her own sharing (docs/access.md)."""
    last = (ControlDecision.objects.filter(passport=passport).order_by("-decided_at")
            .values_list("control", "decided_at").first())
    if last is None or last[0] != Control.SUPPORTED:
        return False
    born = passport.born
    return born is not None and last[1].date() >= born + relativedelta(years=ADVISER_FROM_AGE)


def control_of(passport: Passport, today: datetime.date | None = None) -> str:
    """Who manages sharing today, computed when read (docs/access.md, when care ends): the
    recorded control while in care; a care leaver's passport is hers; after going home or a
    special guardianship order it is hers from 16 (or earlier if judged competent), and
    dormant until then: no one changes who sees it."""
    today = today or timezone.localdate()
    ended = passport.care_ended_on
    if ended is None or ended > today:
        return passport.control
    if passport.control == Control.SELF_MANAGED:
        return Control.SELF_MANAGED
    if _lacks_capacity(passport):
        return Control.SUPPORTED  # over 16 and lacking capacity: stays supported, recorded
    if passport.care_outcome == CareOutcome.CARE_LEAVER:
        return Control.SELF_MANAGED
    born = passport.born
    if born is not None and today >= born + relativedelta(years=ADVISER_FROM_AGE):
        return Control.SELF_MANAGED
    return DORMANT


def reach_by_link(link: ShareLink, use_id: UUID, today: datetime.date | None = None
                  ) -> Reach | None:
    """A share link's viewer: the chosen sections of a live, unrevoked link, through the same
    table and item filter as every other basis (private and held entries stay out)."""
    now = timezone.now()
    if link.revoked_at is not None or link.expires_at <= now:
        return None
    today = today or timezone.localdate()
    row = _live(today).filter(pk=link.passport_id).first()
    if row is None:
        return None  # erased or sealed since
    return Reach(AnonymousUser(), row, frozenset({Basis.SHARE_LINK}), frozenset(link.sections),
                 link_use_id=use_id)


E = TypeVar("E", bound=Entry)


class Purpose(StrEnum):
    """What a read is for. The item filter is the same for all three, except that what leaves
    the screen never carries what is still in the health team's hands."""

    SCREEN = "screen"  # a page or the API: what this reader may see now
    HANDOUT = "handout"  # the booklet: printed, kept and shown to people
    EXPORT = "export"  # a copy that leaves the app: FHIR, her own data download


def visible(reach: Reach, entries: Iterable[E], purpose: Purpose = Purpose.SCREEN) -> list[E]:
    """The one item filter every read path shares: private entries only through owner and
    health team; held-back entries only through the health team; a carer's view of the
    health plan only the actions a carer owns (nothing else of it, not even what is not known
    yet); under "hide now", of contacts only the
    emergency ones for every basis but owner and health team. A handout or an export never
    holds an entry held back from her, nor an assessment before it is signed off, whoever
    makes it: the health team's own screens are the only place for those."""
    sees_private = bool(reach.bases & PRIVATE_BASES)
    on_screen = purpose is Purpose.SCREEN
    sees_held = reach.sees_held and on_screen
    sees_unsigned = Basis.HEALTH_TEAM in reach.bases and on_screen
    glass = reach.glass_section  # break glass opens the whole section, private items too
    carer_plan = reach.basis_for("health_plan", Action.READ) is Basis.PLACEMENT
    narrowed = reach.hidden_now and not reach.bases & UNHIDDEN_BASES
    return [e for e in entries if (sees_private or not e.is_private or
                                   (glass and e.section_key == glass))
            and not (carer_plan and e.section_key == "health_plan"
                     and not (e.TYPE == "plan_action" and e.responsible == "carer"))
            and not (narrowed and e.section_key == "contacts" and glass != "contacts"
                     and not getattr(e, "for_emergencies", False))
            and not (e.section_key in HOLDABLE_SECTIONS and not sees_held
                     and e.pk in reach.held_ids)
            # A new SDQ result shows once the nurse has discussed it with her (docs/access.md
            # 2, note e): until then only her health team sees it.
            and not (e.TYPE == "sdq_result" and Basis.HEALTH_TEAM not in reach.bases
                     and not e.discussed_on)
            # What she writes before a review is hers alone until she sends it (it is private
            # besides: her health team's once sent, nobody else's).
            and not (e.TYPE == "before_review" and not e.sent_on
                     and Basis.OWNER not in reach.bases)
            # An assessment reaches anyone beyond her health team once it is signed off: a
            # draft or one waiting for sign-off may still change.
            and not (e.TYPE == "assessment" and e.state != "signed_off"
                     and not sees_unsigned)]


def visible_revisions(reach: Reach, revisions: Iterable[Revision]) -> list[Revision]:
    """The same filter for history: a version that was private stays hidden from those who
    may not see private entries, even once the entry is no longer private."""
    sees_private = bool(reach.bases & PRIVATE_BASES)
    revisions = list(revisions)
    if Basis.OWNER not in reach.bases:
        # Her say before a review: the drafts before she sent it, and why she changed them,
        # stay hers; others see the version she sent (the last: it is locked once sent).
        sent: dict = {}
        for r in revisions:
            if r.entry_type == "passport.beforereview":
                sent[r.entry_id] = max(sent.get(r.entry_id, 0), r.version)
        revisions = [r for r in revisions if sent.get(r.entry_id, r.version) == r.version]
    return [r for r in revisions if sees_private or not r.fields.get("is_private")]


def may_amend(reach: Reach, entry: Entry) -> bool:
    """Whether this person may change this entry (pages offer "Change" only then)."""
    basis = reach.basis_for(entry.section_key, Action.WRITE)
    if basis is None:
        return False
    if basis is Basis.OWNER:
        # A young person asks for a correction of a clinical entry; she does not edit it.
        return entry.added_by_young_person
    return not type(entry).OWNER_ONLY  # her own words are hers
