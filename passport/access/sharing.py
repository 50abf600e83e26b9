"""Who controls sharing, grants, and what the young person sees of who looked
(docs/access.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passport.access import capabilities
from passport.access.policy import Basis, Reach, control_of
from passport.errors import Refused, found
from passport.models import (
    AuditEvent,
    Control,
    ControlDecision,
    Grant,
    Passport,
    Placement,
    Role,
    SharingWishes,
    SocialWorkAssignment,
    User,
)
from passport.records import audit, sections

# Never in a grant: her own list of services; care episodes are not hers to share here.
GRANTABLE = tuple(k for k in sections.TITLES if k not in sections.HERS_ALONE | {"care"})


def who_decides(reach: Reach) -> Basis | None:
    """While supported the nurse manages sharing (recording her wishes); once self-managed,
    the young person (docs/access.md)."""
    control = control_of(reach.passport)  # computed: care endings change it on their date
    if control == Control.SELF_MANAGED and Basis.OWNER in reach.bases:
        return Basis.OWNER
    if control == Control.SUPPORTED and Basis.HEALTH_TEAM in reach.bases:
        return Basis.HEALTH_TEAM
    return None


ACCOUNT_REFUSED = gettext_lazy(
    "We could not share with that account. Check the username with them.")


@transaction.atomic
def do_grant(reach: Reach, *, grantee: User | None, sections_: list[str],
             until: datetime.date | None, wishes: str = "",
             family_history_understood: bool = False) -> Grant:
    """Share sections with an account. `grantee` None: no such account, refused with every
    other problem of the request, as a known account would be."""
    basis = who_decides(reach)
    if basis is None:
        raise PermissionDenied
    chosen = sorted(set(sections_))
    errors: dict[str, list[str]] = {}
    # Whatever about the account stops it (admins, designated professionals and Caldicott
    # guardians never read content; family history never goes to a carer; not her own or a
    # closed account) gets the one answer an unknown username gets: the form must not tell
    # anyone what an account is.
    if (grantee is None or not capabilities.can_be_granted(grantee) or not grantee.is_active
            or grantee.pk in {reach.passport.owner_id, reach.user.pk}
            or ("family_history" in chosen and grantee.role == Role.CARER)):
        errors["grantee"] = [ACCOUNT_REFUSED]
    if "sexual_health" in chosen and basis is not Basis.OWNER:
        errors["sections"] = [_("Only the young person can share her sexual health.")]
    if not chosen or any(s not in GRANTABLE for s in chosen):
        errors["sections"] = [_("Choose at least one section that can be shared.")]
    if until is not None and until < timezone.localdate():
        errors["until"] = [_("This date is in the past.")]
    # Asked whoever it is shared with (asking only for some would tell who they are).
    if "family_history" in chosen and not family_history_understood:
        errors["family_history_understood"] = [_(
            "Family history is about your birth family. Tick the box to say you understand "
            "that before you share it.")]
    if basis is Basis.HEALTH_TEAM and not wishes.strip():
        errors["wishes"] = [_("Record what the young person wants.")]
    if errors:
        raise ValidationError(errors)
    # One grant per person: a new one replaces the old.
    Grant.objects.filter(passport=reach.passport, grantee=grantee,
                         revoked_at__isnull=True).update(revoked_at=timezone.now())
    grant = Grant(passport=reach.passport, grantee=grantee, sections=chosen, until=until,
                  wishes=wishes.strip() or None, granted_by=reach.user,
                  granted_at=timezone.now())
    grant.save(force_insert=True)
    audit.record_event(actor=reach.user, action="grant_given", passport=reach.passport,
                       basis=basis, object_id=grant.pk)
    return grant


def _keep_wishes(reach: Reach, basis: Basis, decision: str, wishes: str) -> None:
    """The nurse acting for her records what she wanted, beside the decision."""
    if basis is not Basis.HEALTH_TEAM:
        return
    if not wishes.strip():
        raise ValidationError({"wishes": _("Record what the young person wants.")})
    SharingWishes(passport=reach.passport, decision=decision, wishes=wishes.strip(),
                  recorded_by=reach.user, recorded_at=timezone.now()).save(force_insert=True)


def grant_in(reach: Reach, grant_id: UUID) -> Grant:
    """One of her grants, by id, for her or whoever manages her sharing (Refused for anyone
    else, before any lookup, so the answer never tells whether it exists); NotFound for any id
    that is not one of this passport's."""
    if not reach.is_owner and who_decides(reach) is None:
        raise Refused
    return found(Grant.objects.filter(pk=grant_id, passport=reach.passport).first())


def do_grant_to(reach: Reach, *, username: str, sections_: list[str],
                until: datetime.date | None, wishes: str = "",
                family_history_understood: bool = False) -> Grant:
    """Share with the account of this username (the sharing page and the API alike). No such
    account, or a closed one, is refused as every account that may not have it is (and
    `do_grant` refuses whoever does not manage her sharing)."""
    grantee = User.objects.filter(username=username, is_active=True).first()
    return do_grant(reach, grantee=grantee, sections_=sections_, until=until, wishes=wishes,
                    family_history_understood=family_history_understood)


@transaction.atomic
def do_revoke_grant(reach: Reach, grant: Grant, wishes: str = "") -> None:
    """Stopping a share only narrows who sees her passport: she may always do it, supported
    or dormant too (decision 0014), as well as whoever manages her sharing."""
    basis = Basis.OWNER if reach.is_owner else who_decides(reach)
    if basis is None or grant.passport_id != reach.passport.pk:
        raise PermissionDenied
    _keep_wishes(reach, basis, "grant_revoked", wishes)
    Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record_event(actor=reach.user, action="grant_revoked", passport=reach.passport,
                       basis=basis, object_id=grant.pk)


PLACEMENT_DEFAULT = ("about_me", "contacts", "immunisations", "conditions", "health_plan",
                     "appointments")


@transaction.atomic
def do_set_carer_view(reach: Reach, hidden: list[str], *, conditions_confirmed: bool = False,
                      wishes: str = "") -> bool:
    """Take sections out of (or back into) her carer's default view. Hiding conditions
    (allergies, medicines) asks for confirmation and tells the nurse (docs/access.md). False
    if the view is as it was: no decision, so nothing is kept or logged (wishes included)."""
    basis = who_decides(reach)
    if basis is None:
        raise PermissionDenied
    hidden = sorted(set(hidden))
    if any(s not in PLACEMENT_DEFAULT for s in hidden):
        raise ValidationError({"hidden": _("Choose from the sections your carer can see.")})
    was = set(reach.passport.placement_hidden or ())
    if set(hidden) == was:
        return False
    if "conditions" in hidden and "conditions" not in was and not conditions_confirmed:
        raise ValidationError({"conditions_confirmed": _(
            "Your carer uses this to keep you safe: for example, to know about an allergy in "
            "an emergency. Tick the box if you still want to hide it. Your nurse will be told.")})
    _keep_wishes(reach, basis, "carer_view_changed", wishes)
    Passport.objects.filter(pk=reach.passport.pk).update(placement_hidden=hidden)
    audit.record_event(actor=reach.user, action="carer_view_changed", passport=reach.passport,
                       basis=basis)
    if "conditions" in hidden and "conditions" not in was:
        # The nurse is told: it shows on the passport for the health team.
        audit.record_event(actor=reach.user, action="carer_conditions_hidden",
                           passport=reach.passport, basis=basis, section="conditions")
    return True


@transaction.atomic
def do_hide_now(reach: Reach, on: bool) -> None:
    """"Hide now" (docs/access.md): the young person's one action, whether or not she manages
    her sharing yet. An overlay: grants, her carer's view and everything else stay as they
    were, so turning it off restores exactly what was there. Her health team is told (the
    event, and a notice on her passport for them)."""
    if not reach.is_owner:
        raise PermissionDenied
    if on == reach.hidden_now:
        return  # pressed twice: nothing more to do
    since = timezone.now() if on else None
    Passport.objects.filter(pk=reach.passport.pk).update(hidden_now_since=since)
    reach.passport.hidden_now_since = since
    audit.record_event(actor=reach.user, action="hide_now_on" if on else "hide_now_off",
                       passport=reach.passport, basis=Basis.OWNER)


def active_grants(reach: Reach) -> list[Grant]:
    today = timezone.localdate()
    return [g for g in Grant.objects.filter(passport=reach.passport, revoked_at__isnull=True)
            .select_related("grantee").order_by("granted_at")
            if g.until is None or g.until >= today]


@transaction.atomic
def do_set_control(reach: Reach, control: str, *, reason: str) -> None:
    """The nurse confirms self-management at 16, or records competence earlier (Gillick), or
    records that a young person over 16 lacks capacity and stays supported: the decision, who,
    when and why are kept: the event in her log, the reason as a revision-style record."""
    if Basis.HEALTH_TEAM not in reach.bases:
        raise PermissionDenied
    if control not in Control.values:
        raise ValidationError({"control": _("Choose one of the options.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Record why.")})
    Passport.objects.filter(pk=reach.passport.pk).update(control=control)
    ControlDecision(passport=reach.passport, control=control, reason=reason.strip(),
                    decided_by=reach.user, decided_at=timezone.now()).save(force_insert=True)
    audit.record_event(actor=reach.user, action=f"control_{control}", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM)


# --- who has looked -----------------------------------------------------------------------

SHOWN_ACTIONS = {
    "section_viewed": gettext_lazy("looked at %(section)s"),
    "before_review_read": gettext_lazy("read what you wrote before your health review"),
    "entry_added": gettext_lazy("added to %(section)s"),
    "entry_amended": gettext_lazy("changed something in %(section)s"),
    "grant_given": gettext_lazy("shared part of your passport"),
    "grant_revoked": gettext_lazy("stopped a share"),
    "assignment_added": gettext_lazy("added someone to your health team"),
    "team_lead_added": gettext_lazy(
        "made someone the team lead of the health team that looks after you"),
    "assignment_ended": gettext_lazy("took someone off your health team"),
    "second_factor_reset": gettext_lazy("reset your second sign-in step"),
    "recovery_code_issued": gettext_lazy("gave you a code to set a new password"),
    "recovery_code_used": gettext_lazy(
        "gave you a code, and it was used to set your new password (if this was not you, "
        "tell them)"),
    "date_of_birth_changed": gettext_lazy("changed your date of birth"),
    "identity_changed": gettext_lazy("changed your name or NHS number"),
    "placement_started": gettext_lazy("recorded where you now live and who looks after you"),
    "placement_ended": gettext_lazy("ended a carer's access when your home changed"),
    "social_worker_assigned": gettext_lazy("gave a social worker or personal adviser access"),
    "health_team_changed": gettext_lazy("changed which health team looks after you"),
    "carer_view_changed": gettext_lazy("changed what your carer can see"),
    "carer_conditions_hidden": gettext_lazy(
        "hid your conditions, allergies and medicines from your carer"),
    "control_supported": gettext_lazy("recorded that your nurse manages your sharing for now"),
    "control_self_managed": gettext_lazy("recorded that you manage your own sharing"),
    "entry_released": gettext_lazy("added to %(section)s after talking it through with you"),
    "placement_confirmed": gettext_lazy(
        "confirmed you still live with your carer, so they can still see your passport"),
    "care_ending_recorded": gettext_lazy("recorded when your care ends"),
    "staying_put_agreed": gettext_lazy("recorded Staying Put: what your former carer keeps seeing"),
    "back_into_care": gettext_lazy("reopened your passport because you are back in care"),
    "correction_dealt_with": gettext_lazy("dealt with something you said wasn't right"),
    "share_link_created": gettext_lazy("made a link to show part of your passport"),
    "share_link_revoked": gettext_lazy("stopped a link you shared"),
    "share_link_used": gettext_lazy("used the code to open it"),
    "break_glass": gettext_lazy(
        "opened %(section)s without your sharing, because they were worried about your "
        "safety (\"break glass\"): this is checked by the person in charge of privacy"),
    "break_glass_reviewed": gettext_lazy("checked a \"break glass\" on your passport"),
    "assessment_signed_off": gettext_lazy(
        "checked and signed off one of your health assessments"),
    "addendum_added": gettext_lazy("added a correction to one of your health assessments"),
    "plan_action_reviewed": gettext_lazy("reviewed an action in your health plan"),
    "booklet_made": gettext_lazy("put %(section)s in a health booklet (PDF)"),
    "fhir_exported": gettext_lazy("exported your health summary for another health system"),
    "contribution_requested": gettext_lazy(
        "asked another service (such as your GP) what they know, for your health assessment"),
}


@dataclass(frozen=True)
class Look:
    who: str
    what: str
    when: datetime.datetime


SAME_LOOK = datetime.timedelta(hours=1)  # the same reading again within it: one line


def relationship(actor: User, basis: str) -> str:
    """Who someone is to her, truly: her nurse is the nurse on her health team; the team lead,
    the named nurse for safeguarding and the Caldicott guardian are named as what they are."""
    if basis == Basis.PLACEMENT:
        return _("your carer")
    if basis == Basis.SOCIAL_WORK:
        return (_("your personal adviser") if actor.role == Role.PERSONAL_ADVISER
                else _("your social worker"))
    if basis == Basis.GRANT:
        return _("someone you shared with")
    if actor.named_safeguarding_nurse and (basis == Basis.BREAK_GLASS
                                           or (actor.role == Role.NURSE and not basis)):
        return _("the named nurse for safeguarding")
    if basis == Basis.BREAK_GLASS:
        return _("a health professional")
    return str(BY_ROLE.get(actor.role, ""))


# Who someone is to her, by their job, when no basis says more.
BY_ROLE = {
    Role.TEAM_LEAD: gettext_lazy("the team lead of your health team"),
    Role.DOCTOR: gettext_lazy("your doctor"),
    Role.NURSE: gettext_lazy("your nurse"),
    Role.ADMIN: gettext_lazy("the service's administrator"),
    Role.CALDICOTT: gettext_lazy("the person in charge of privacy (Caldicott guardian)"),
    Role.SOCIAL_WORKER: gettext_lazy("a social worker"),
}


# What an event about her health team did, and to whom: "added Priya Shah (Nurse) to your
# health team" names the person, not "someone".
WHOM_ACTIONS = {
    "assignment_added": gettext_lazy("added %(whom)s to your health team"),
    "assignment_ended": gettext_lazy("took %(whom)s off your health team"),
    "team_lead_added": gettext_lazy(
        "made %(whom)s the team lead of the health team that looks after you"),
}


def _whom(events: list[AuditEvent]) -> dict[object, str]:
    """The person each health-team event was about: "Priya Shah (Nurse)"."""
    from passport.models import CareTeamAssignment

    ids = {e.object_id for e in events if e.action in WHOM_ACTIONS and e.object_id}
    people = {a.pk: a.professional for a in CareTeamAssignment.objects.filter(
        pk__in=ids).select_related("professional")}
    people |= {u.pk: u for u in User.objects.filter(pk__in=ids)}
    return {pk: f"{person.display_name or person.username} ({person.get_role_display()})"
            for pk, person in people.items()}


def who_has_looked(reach: Reach) -> list[Look]:
    """For the young person only: what others did with her passport, newest first."""
    if Basis.OWNER not in reach.bases:
        raise PermissionDenied
    events = (AuditEvent.objects.filter(passport=reach.passport, action__in=SHOWN_ACTIONS)
              .exclude(actor=reach.user).select_related("actor").order_by("-seq"))
    if reach.held_ids:  # what was done with an entry held back from her stays out of sight
        events = events.exclude(object_id__in=reach.held_ids)
    from passport.access.breakglass import delayed

    for glass in delayed(reach.passport):
        # A break glass she is told of later, with the reason recorded: the glass, and
        # everything its user did with her passport while it was open (reads, an export, a
        # booklet, whatever it was), wait until the delay is over.
        events = events.exclude(object_id=glass.pk).exclude(
            actor_id=glass.user_id, at__gte=glass.opened_at, at__lte=glass.expires_at)
    events = list(events[:200])
    whom = _whom(events)
    from passport.access.sharelinks import use_names

    viewers = use_names(reach.passport.pk, {e.object_id for e in events
                                            if e.basis == Basis.SHARE_LINK and e.object_id})
    looks: list[Look] = []
    latest: dict[tuple[str, str], datetime.datetime] = {}  # the newest line kept of each
    for event in events:
        actor = event.actor
        if event.basis == Basis.SHARE_LINK:  # no account: the name they gave
            name = viewers.get(event.object_id, _("Someone"))
            role = _("through a link you shared")
        else:
            name = actor.display_name or actor.username if actor else _("Someone")
            role = relationship(actor, event.basis) if actor else ""
        title = str(sections.TITLES.get(event.section, event.section))
        if event.action in WHOM_ACTIONS and event.object_id in whom:
            what = WHOM_ACTIONS[event.action] % {"whom": whom[event.object_id]}
        else:
            what = SHOWN_ACTIONS[event.action] % {"section": title}
        look = Look(f"{name}, {role}," if role else name, what, event.at)
        kept = latest.get((look.who, look.what))
        if kept is not None and kept - look.when <= SAME_LOOK:
            continue  # the same again within the hour (a page opened twice): one line
        latest[look.who, look.what] = look.when
        looks.append(look)
    return looks


# --- placements and social work, as admins manage them -----------------------------------


@transaction.atomic
def do_place(actor: User, passport: Passport, carer: User, started_on: datetime.date
             ) -> Placement:
    """A new placement; it ends the current one (a new placement ends the old one's access)."""
    if carer.role != Role.CARER:
        raise ValidationError({"carer": _("Only a carer's account can have a placement.")})
    # Every placement still open on the new one's first day ends that day, including one
    # whose end was recorded for a later date.
    still_open = Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    current = list(Placement.objects.filter(still_open, passport=passport))
    if any(old.started_on > started_on for old in current):
        raise ValidationError({"started_on": _(
            "This is before the current placement started: check the date.")})
    for old in current:
        Placement.objects.filter(pk=old.pk).update(ended_on=started_on)
        audit.record_event(actor=actor, action="placement_ended", passport=passport,
                           object_id=old.pk)
    placement = Placement.objects.create(passport=passport, carer=carer, started_on=started_on,
                                         confirmed_on=started_on)
    audit.record_event(actor=actor, action="placement_started", passport=passport,
                       object_id=placement.pk)
    return placement


@transaction.atomic
def do_assign_social_work(actor: User, passport: Passport, worker: User
                          ) -> SocialWorkAssignment:
    if worker.role not in {Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER}:
        raise ValidationError({"worker": _("Only a social worker or a personal adviser.")})
    assignment = SocialWorkAssignment.objects.create(passport=passport, worker=worker,
                                                     started_at=timezone.now())
    audit.record_event(actor=actor, action="social_worker_assigned", passport=passport,
                       object_id=assignment.pk)
    return assignment


@dataclass(frozen=True)
class Viewer:
    name: str
    relationship: str
    sections: list[str]
    basis: str = ""  # why they can: their job's basis


def who_can_see(reach: Reach) -> list[Viewer]:
    """Everyone who reaches her passport now because of their job, by name, with what they
    can see: each worked out by the policy itself, so the page can never promise more or less
    than the app does (docs/access.md: she sees who can see what)."""
    from passport.access.policy import reach as reach_of
    from passport.models import CareTeamAssignment

    passport = reach.passport
    people: dict[object, User] = {}
    for a in CareTeamAssignment.objects.filter(passport=passport, ended_at__isnull=True
                                               ).select_related("professional"):
        people.setdefault(a.professional_id, a.professional)
    for p in Placement.objects.filter(passport=passport).exclude(
            ended_on__lte=timezone.localdate()).select_related("carer"):
        people.setdefault(p.carer_id, p.carer)
    for w in SocialWorkAssignment.objects.filter(passport=passport, ended_at__isnull=True
                                                 ).select_related("worker"):
        people.setdefault(w.worker_id, w.worker)
    viewers: list[Viewer] = []
    for person in people.values():
        theirs = reach_of(person, passport.pk)
        if theirs is None:
            continue
        job = next((b for b in (Basis.HEALTH_TEAM, Basis.PLACEMENT, Basis.SOCIAL_WORK)
                    if b in theirs.bases), None)
        if job is None:
            continue  # only a grant: listed with her shares
        readable = [str(title) for key, title in sections.TITLES.items()
                    if theirs.basis_for(key, "read") is job]
        viewers.append(Viewer(str(person), relationship(person, job), readable, job))
    return viewers


@dataclass(frozen=True)
class Person:
    """Someone already in her record whom she can share with by choosing them: their
    account, their name and who they are (or were) to her."""

    user: User
    relationship: str

    @property
    def label(self) -> str:
        return f"{self.user}, {self.relationship}"


def people_in_her_record(reach: Reach) -> list[Person]:
    """The accounts her passport already knows (her advisers and social workers, her carers,
    her health team, and anyone she shared with before and did not stop), ended or not, so
    that she shares by choosing a name she knows rather than asking for a username. Only
    accounts a grant can reach, open, and neither hers nor the reader's own."""
    from passport.models import CareTeamAssignment

    passport, today = reach.passport, timezone.localdate()
    # Her carers, social worker and health team are hers while care lasts; after it, only a
    # personal adviser still is (docs/access.md, when care ends).
    in_care = passport.in_care_on(today)
    found_: list[tuple[User, str]] = []
    for w in SocialWorkAssignment.objects.filter(passport=passport).select_related(
            "worker").order_by("ended_at", "-started_at"):
        adviser = w.worker.role == Role.PERSONAL_ADVISER
        if w.ended_at is None and (in_care or adviser):
            words = relationship(w.worker, Basis.SOCIAL_WORK)
        else:
            words = _("was your personal adviser") if adviser else _("was your social worker")
        found_.append((w.worker, words))
    for p in Placement.objects.filter(passport=passport).select_related("carer").order_by(
            "-started_on"):
        if p.started_on > today:
            continue  # not her carer yet
        ended = not in_care or (p.ended_on is not None and p.ended_on <= today)
        found_.append((p.carer, _("was your carer") if ended else _("your carer")))
    for a in CareTeamAssignment.objects.filter(passport=passport).select_related(
            "professional").order_by("ended_at", "-started_at"):
        found_.append((a.professional, str(BY_ROLE.get(a.professional.role, ""))
                       if a.ended_at is None and in_care else _("was on your health team")))
    # Someone she shared with until a date she chose; never someone whose share was stopped
    # (she may have stopped it for a reason: they need her to type their username again).
    for g in Grant.objects.filter(passport=passport, revoked_at__isnull=True).select_related(
            "grantee").order_by("-granted_at"):
        found_.append((g.grantee, _("you shared with them before")))
    people: dict[object, Person] = {}
    for user, words in found_:
        if (user.pk in people or not user.is_active or not capabilities.can_be_granted(user)
                or user.pk in {passport.owner_id, reach.user.pk}):
            continue
        people[user.pk] = Person(user, words or user.get_role_display())
    return list(people.values())
