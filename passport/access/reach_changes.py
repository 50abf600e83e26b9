"""Four eyes on what widens someone's reach (decision 0024).

One admin asks for the change; a different admin confirms it; only then is it made. Until
then it waits, listed in the admin as "awaiting a second administrator". What counts:
- a person's health team or organisation (a team lead reads every passport of her team; the
  organisation decides where a named safeguarding nurse may break glass);
- the named-nurse-for-safeguarding flag (she may break glass across her organisation);
- the email password resets go to (whoever holds it can set the password);
- reopening a closed account;
- an invitation for another admin or a connected system.
What narrows (leaving a team, losing the flag, closing an account) is done at once: a second
admin must never be needed to take access away.

Each step is an event in the audit chain. A team lead joining a team is also an event in the
log of every young person whose passport that team holds, which she sees in "who has looked".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.models import HealthTeam, Invitation, Organisation, Passport, ReachChange, Role, User
from passport.records import audit

Kind = ReachChange.Kind
Outcome = ReachChange.Outcome

# The User fields each kind changes, and whether a value widens reach (a narrowing value is
# applied at once).
USER_FIELDS = {
    Kind.TEAM: "team_id",
    Kind.ORGANISATION: "organisation_id",
    Kind.SAFEGUARDING: "named_safeguarding_nurse",
    Kind.EMAIL: "email",
    Kind.REOPEN: "is_active",
}


def widens(kind: str, value) -> bool:
    """An empty team or organisation, the flag off and a closed account narrow; anything
    else (another team, a new email) may widen."""
    if kind in {Kind.SAFEGUARDING, Kind.REOPEN}:
        return bool(value)
    return value not in (None, "")


def _admin(actor: User) -> None:
    if actor.role != Role.ADMIN or not actor.is_active:
        raise PermissionDenied


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return "" if value is None else str(value)


@transaction.atomic
def do_request(actor: User, kind: str, *, user: User | None = None, value=None,
               invitation: Invitation | None = None) -> ReachChange:
    """Ask for a change: it waits for a second admin. A request for the same thing that is
    already waiting is replaced (the latest wish is the one confirmed)."""
    _admin(actor)
    if kind == Kind.INVITATION:
        if invitation is None:
            raise ValidationError(_("Name the invitation."))
    elif user is None or kind not in USER_FIELDS:
        raise ValidationError(_("Name the account and what changes."))
    waiting = ReachChange.objects.filter(kind=kind, user=user, invitation=invitation,
                                         outcome=Outcome.WAITING)
    for earlier in waiting:
        _decide(actor, earlier, Outcome.CANCELLED)
    change = ReachChange.objects.create(
        kind=kind, user=user, invitation=invitation, value=_text(value), requested_by=actor,
        requested_at=timezone.now())
    audit.record_event(actor=actor, action="reach_change_requested", object_id=change.pk)
    return change


@transaction.atomic
def do_confirm(actor: User, change: ReachChange) -> None:
    """A different admin confirms: the change is made now, and logged."""
    _admin(actor)
    change = ReachChange.objects.select_for_update().get(pk=change.pk)
    if change.outcome != Outcome.WAITING:
        raise ValidationError(_("This change has already been decided."))
    if change.requested_by_id == actor.pk:
        raise ValidationError(_("A different administrator must confirm a change you asked "
                                "for."))
    if change.kind == Kind.INVITATION:
        from passport.accounts import invitations

        invitation = Invitation.objects.get(pk=change.invitation_id)
        if not invitation.email:
            raise ValidationError(_("This invitation was made before invitations had an "
                                    "email: cancel it and invite them again."))
        if invitation.used_at is None and invitation.confirmed_at is None:
            invitations.send_confirmed(invitation)
    else:
        _apply(actor, change)
    _decide(actor, change, Outcome.CONFIRMED)


@transaction.atomic
def do_cancel(actor: User, change: ReachChange) -> None:
    """Either admin (the one who asked included) may cancel a change still waiting."""
    _admin(actor)
    change = ReachChange.objects.select_for_update().get(pk=change.pk)
    if change.outcome != Outcome.WAITING:
        raise ValidationError(_("This change has already been decided."))
    _decide(actor, change, Outcome.CANCELLED)


def _decide(actor: User, change: ReachChange, outcome: str) -> None:
    change.outcome, change.decided_by, change.decided_at = outcome, actor, timezone.now()
    change.save(update_fields=["outcome", "decided_by", "decided_at"])
    audit.record_event(actor=actor, action=f"reach_change_{outcome}", object_id=change.pk)


def _apply(actor: User, change: ReachChange) -> None:
    user = User.objects.select_for_update().get(pk=change.user_id)
    field = USER_FIELDS[change.kind]
    value = change.value
    if change.kind == Kind.TEAM:
        value = HealthTeam.objects.get(pk=value).pk if value else None
    elif change.kind == Kind.ORGANISATION:
        value = Organisation.objects.get(pk=value).pk if value else None
    elif change.kind in {Kind.SAFEGUARDING, Kind.REOPEN}:
        value = bool(value)
    setattr(user, field, value)
    user.save(update_fields=[field.removesuffix("_id") if field.endswith("_id") else field])
    if change.kind == Kind.TEAM and user.role == Role.TEAM_LEAD and value:
        # A team lead reads every passport her team holds: each young person's log says so.
        for passport_id in Passport.objects.filter(health_team_id=value).values_list(
                "pk", flat=True):
            audit.record_event(actor=actor, action="team_lead_added", passport=passport_id,
                               object_id=user.pk)


def waiting_for(user: User) -> list[ReachChange]:
    return list(ReachChange.objects.filter(user=user, outcome=Outcome.WAITING)
                .select_related("requested_by").order_by("requested_at"))
