"""What a person may do beyond reading sections, decided here, beside the section table, by what
their account is (docs/access.md 1). Pages show a link only when the capability says so, and the
page behind the link asks the same function, so the two never disagree.

This is the only module outside the policy that looks at an account's role: every set of roles
the service uses is here, once (tests/test_no_role_checks.py keeps it so). A capability takes
an account, anything else with a `role` (an invitation), or a role itself; someone not
signed in has none.

The hand-written table these are tested against is in tests/frontend/test_capabilities.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from passport.models import LeaverSummary, Role

if TYPE_CHECKING:
    from passport.access.policy import Reach

# The clinicians of a health team: the only people a team may hold.
HEALTH_ROLES = frozenset({Role.NURSE, Role.DOCTOR, Role.TEAM_LEAD})
# No basis at all, whatever anyone grants: they never reach content (docs/access.md).
NEVER_GRANTED = frozenset({Role.ADMIN, Role.DESIGNATED, Role.CALDICOTT, Role.INTEGRATION})
FIGURES_VIEWERS = frozenset({Role.DESIGNATED, Role.TEAM_LEAD})
TASK_HOLDERS = HEALTH_ROLES | {Role.SOCIAL_WORKER}
INVITERS = HEALTH_ROLES | {Role.ADMIN}
# Who each inviter may invite (an admin: every professional; the health team: the young person
# and her carer).
ADMIN_INVITES = frozenset(Role) - {Role.YOUNG_PERSON, Role.CARER}
HEALTH_TEAM_INVITES = frozenset({Role.YOUNG_PERSON, Role.CARER})
# Another admin, or a connected system: the link works once a second admin confirms it.
FOUR_EYES = frozenset({Role.ADMIN, Role.INTEGRATION})
# Erasure needs two of these, one of them the Caldicott guardian (docs/architecture.md).
ERASURE_AUTHORISERS = frozenset({Role.CALDICOTT, Role.TEAM_LEAD})
# Emailed when something on their list falls due.
REMINDED = TASK_HOLDERS | {Role.CALDICOTT}
# Professionals who belong to an organisation rather than to one of its health teams.
OFFICERS = frozenset({Role.CALDICOTT, Role.DESIGNATED})
# Through a social-work assignment, the social worker manages care (placements, endings); a
# personal adviser, after care, helps her back into her account.
CARE_MANAGING_SOCIAL_ROLE = Role.SOCIAL_WORKER


class HasRole(Protocol):
    role: str


def _role(who: HasRole | str | None) -> str:
    if isinstance(who, str):
        return who
    if who is None or getattr(who, "is_authenticated", True) is False:
        return ""
    return getattr(who, "role", "")


# Who the account is.

def is_young_person(who: HasRole | str | None) -> bool:
    return _role(who) == Role.YOUNG_PERSON


def is_health_professional(who: HasRole | str | None) -> bool:
    """A nurse, doctor or team lead: may be on a health team, has a caseload."""
    return _role(who) in HEALTH_ROLES


def is_carer(who: HasRole | str | None) -> bool:
    """A foster or residential carer: reaches the young people placed with her, and her own
    tasks in their plans."""
    return _role(who) == Role.CARER


def is_connected_system(who: HasRole | str | None) -> bool:
    """A GP or council system's credential: it only submits immunisations, never reads."""
    return _role(who) == Role.INTEGRATION


def is_admin(who: HasRole | str | None) -> bool:
    """An administrator: manages accounts and may use the Django admin; reads no content."""
    return _role(who) == Role.ADMIN


def is_organisation_officer(who: HasRole | str | None) -> bool:
    """A Caldicott guardian or designated professional: of an organisation, in no team."""
    return _role(who) in OFFICERS


# What they may do.

def can_view_figures(user: HasRole | str | None) -> bool:
    """The area's counts: the designated professional and the team lead (which areas:
    passport.care.area_figures.areas_for, those of her own organisation)."""
    return _role(user) in FIGURES_VIEWERS


def can_review_break_glass(user: HasRole | str | None) -> bool:
    """The Caldicott guardian of an organisation reviews its break-glass uses."""
    return _role(user) == Role.CALDICOTT and getattr(user, "organisation_id", None) is not None


def has_tasks(user: HasRole | str | None) -> bool:
    """Health professionals and social workers have a list of things to do."""
    return _role(user) in TASK_HOLDERS


def can_break_glass(user: HasRole | str | None) -> bool:
    """A health professional may ask to break glass (passport.access.breakglass decides for
    which young person and section)."""
    return is_health_professional(user)


def can_invite(user: HasRole | str | None) -> bool:
    """Admins and the health team invite people (which roles: `invitable_roles`)."""
    return _role(user) in INVITERS


def invitable_roles(user: HasRole | str | None) -> frozenset[str]:
    if is_admin(user):
        return ADMIN_INVITES
    if is_health_professional(user):
        return HEALTH_TEAM_INVITES
    return frozenset()


def needs_second_admin(role: str) -> bool:
    """An invitation for this role works only once a second admin confirms it."""
    return role in FOUR_EYES


def sees_caseload_nurses(user: HasRole | str | None) -> bool:
    """A team lead's caseload names each young person's nurse or doctor."""
    return leads_health_team(user)


def can_own_passport(user: HasRole | str | None) -> bool:
    """Only a young person's account owns a passport (and keeps an offline copy, and may
    choose to stay signed in on her own phone)."""
    return is_young_person(user)


def can_be_granted(user: HasRole | str | None) -> bool:
    """Whether a young person's grant can give this account anything at all."""
    return bool(_role(user)) and _role(user) not in NEVER_GRANTED


def job_title(user: HasRole | str | None) -> str:
    """What someone does, in words: her job title as recorded ("Children in care nurse"),
    else her role's name ("Nurse"). A new assessment's "their profession" starts from it."""
    recorded = getattr(user, "job_title", "")
    if recorded:
        return recorded
    role = _role(user)
    return str(Role(role).label) if role in Role.values else ""


def offers_api_tokens(user: HasRole | str | None) -> bool:
    """Whose home page offers API tokens: the health team and administrators, who connect
    their own software. Anyone who may use them still can (`can_use_api_tokens`); a carer or
    a young person is not shown a developer's word she has no use for."""
    return is_health_professional(user) or is_admin(user)


def can_use_api_tokens(user: HasRole | str | None) -> bool:
    """A person may make personal API tokens; a connected system has its one credential."""
    return bool(_role(user)) and not is_connected_system(user)


def must_use_second_factor(user: HasRole | str | None) -> bool:
    """Everyone but a young person, and anyone who can use the admin (a young person once she
    has turned one on: passport.accounts.twofactor)."""
    return (not is_young_person(user) or bool(getattr(user, "is_staff", False))
            or bool(getattr(user, "is_superuser", False)))


def can_authorise_erasure(user: HasRole | str | None) -> bool:
    return _role(user) in ERASURE_AUTHORISERS and bool(getattr(user, "is_active", False))


def is_caldicott_guardian(user: HasRole | str | None) -> bool:
    return _role(user) == Role.CALDICOTT


def can_reopen_care(user: HasRole | str | None) -> bool:
    """Putting a young person back into care (or correcting an ending recorded in error)."""
    return is_admin(user)


def manages_care_through_social_work(user: HasRole | str | None) -> bool:
    """With a social-work basis, the social worker confirms placements, records how care ends
    and holds social-work tasks; a personal adviser does not."""
    return _role(user) == CARE_MANAGING_SOCIAL_ROLE


def helps_recovery_through_social_work(user: HasRole | str | None) -> bool:
    """With a social-work basis, a personal adviser may give a care leaver a recovery code."""
    return _role(user) == Role.PERSONAL_ADVISER


def leads_health_team(user: HasRole | str | None) -> bool:
    """A team lead: sees her team's whole caseload with each young person's nurse, and may
    confirm an adoption another recorded (passport.care.placements)."""
    return _role(user) == Role.TEAM_LEAD


def can_make_booklet(reach: Reach) -> bool:
    """Who may make a "My health" booklet of a passport they reach: she herself (of any section
    she sees) and a share link's viewer (of the shared ones); her health team only once the
    care leaver's summary is marked ready (a booklet for her to keep, docs/access.md). Which
    sections go in is the section table's answer for this reader."""
    from passport.access.policy import Basis

    if reach.is_owner or Basis.SHARE_LINK in reach.bases:
        return True
    return reach.as_health_team("about_me") and LeaverSummary.objects.filter(
        passport=reach.passport, ready_at__isnull=False).exists()


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
    api_tokens_offered: bool


def of(user: HasRole | str | None) -> Capabilities:
    return Capabilities(can_view_figures(user), can_review_break_glass(user), has_tasks(user),
                        can_break_glass(user), can_invite(user), sees_caseload_nurses(user),
                        is_young_person(user), offers_api_tokens(user))
