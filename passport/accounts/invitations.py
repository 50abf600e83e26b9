"""Invitations: single-use, expiring links to set up an account. Admins invite
professionals; a young person's health team invites her (to her own passport) and carers.
No one chooses their own role: it comes from the invitation."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.access.policy import Action, Basis, reach
from passport.models import Invitation, Passport, User
from passport.records import audit

LIFETIME = datetime.timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_invite(actor: User, *, role: str, display_name: str = "",
              passport: Passport | None = None, email: str = "") -> tuple[Invitation, str]:
    """(the invitation, its secret token): the token is shown once and never stored. For an
    admin or a connected system there is no token yet ("" is returned): it is made when a
    second admin confirms, and sent to the email given here (send_confirmed)."""
    if role not in capabilities.invitable_roles(actor):
        raise PermissionDenied
    if capabilities.is_young_person(role):
        if passport is None:  # a mistake on the form, not a refusal
            raise ValidationError({"passport": _(
                "Choose whose passport this account is for. Only young people who have no "
                "account yet are listed.")})
        found = reach(actor, passport.pk)
        if found is None or found.basis_for("about_me", Action.WRITE) is not Basis.HEALTH_TEAM:
            raise PermissionDenied
        if passport.owner_id is not None:
            raise ValidationError(_("This passport already has its young person's account."))
    elif passport is not None:
        raise ValidationError(_("Only a young person's invitation links a passport."))
    if not capabilities.is_young_person(role) and not display_name.strip():
        raise ValidationError({"display_name": _("Give the person's name.")})
    if capabilities.needs_second_admin(role) and not email.strip():
        raise ValidationError({"email": _(
            "Give their work email: the link is sent there once another administrator "
            "confirms the invitation.")})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        token_hash=_hash(token), role=role, display_name=display_name.strip(),
        passport=passport, team=actor.team if capabilities.is_health_professional(role) else None,
        invited_by=actor, created_at=now, expires_at=now + LIFETIME,
        confirmed_at=None if capabilities.needs_second_admin(role) else now,
        email=email.strip() if capabilities.needs_second_admin(role) else "")
    audit.record_event(actor=actor, action="invitation_created", passport=passport,
                       object_id=invitation.pk)
    if capabilities.needs_second_admin(role):
        from passport.access import reach_changes

        reach_changes.do_request(actor, reach_changes.Kind.INVITATION, invitation=invitation,
                                 value=role)
        return invitation, ""  # the secret made above is thrown away unused
    return invitation, token


def send_confirmed(invitation: Invitation) -> None:
    """A second admin confirmed it: a fresh secret, sent only to the invitee's email (in the
    caller's transaction, so a failed send confirms nothing)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    token = secrets.token_urlsafe(32)
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=_hash(token), confirmed_at=now, expires_at=now + LIFETIME)
    link = f"{settings.HP_SITE_URL}{reverse('invitation-accept')}#{token}"
    send_mail(_("Your My Health account"), _(
        "You have been invited to set up an account on My Health. Open this link within 7 "
        "days to choose your username and password:\n\n%(link)s\n\nIf you did not expect "
        "this, do not open it, and tell your organisation's IT or information governance "
        "team.") % {"link": link}, None, [invitation.email])


def open_invitation(token: str) -> Invitation | None:
    """The invitation a link names, if it can still be used (it may still be waiting for a
    second admin: see `confirmed_at`)."""
    invitation = Invitation.objects.filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.used_at or invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def do_accept_invitation(token: str, *, username: str, password: str) -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if (invitation is None or invitation.used_at
            or invitation.expires_at <= timezone.now()):
        raise ValidationError(_("This invitation has expired or has been used. Ask for a new "
                                "one."))
    if invitation.confirmed_at is None:
        raise ValidationError(_("This invitation is waiting for a second administrator to "
                                "confirm it. Try again later."))
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That username is taken: choose another.")})
    user = User(username=username, role=invitation.role,
                display_name=invitation.display_name, team=invitation.team,
                # An admin uses the admin site; what it lets her do is limited there.
                is_staff=capabilities.is_admin(invitation),
                is_superuser=capabilities.is_admin(invitation))
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # taken by someone else at the same moment
        raise ValidationError({"username": _("That username is taken: choose another.")}
                              ) from None
    invitation.used_at, invitation.used_by = timezone.now(), user
    invitation.save(update_fields=["used_at", "used_by"])
    if invitation.passport_id:
        updated = Passport.objects.filter(pk=invitation.passport_id,
                                          owner__isnull=True).update(owner=user)
        if not updated:
            raise ValidationError(_("This passport already has its young person's account."))
    audit.record_event(actor=user, action="invitation_accepted",
                       passport=invitation.passport_id, object_id=invitation.pk)
    return user
