"""Personal API tokens and connected systems' credentials.

- A personal token is made by its owner for herself, only in a session that has passed the
  second factor (the page sits behind it), acts with exactly her rights, expires (at most 90
  days), can be revoked, and is listed in her settings; making and revoking it go in the
  access log. A token is never a way around the second factor: it can only be made after one.
- A connected system (integration) has an account of its own with the "integration" role,
  which the policy gives no basis at all: it reads nothing; it may only submit immunisation
  records for a nurse to review.
Only the SHA-256 of a secret is stored; secrets are 32 random bytes, so a fast hash suffices.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.accounts import twofactor
from passport.models import ApiToken, Role, User
from passport.records import audit

PREFIX = "hp_"
MAX_DAYS, DEFAULT_DAYS = 90, 30


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new(user: User, name: str, days: int, kind: str) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(user=user, name=name, kind=kind, prefix=secret[:10],
                                    token_hash=_hash(secret), created_at=now,
                                    expires_at=now + datetime.timedelta(days=days))
    return token, secret


@transaction.atomic
def do_create(request, *, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A personal token for the signed-in user; the secret is returned once, never kept."""
    user = request.user
    if not capabilities.can_use_api_tokens(user) or not twofactor.is_verified(request):
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give it a name, so you know what it is for.")]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("Between 1 and %(max)d days.") % {"max": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    token, secret = _new(user, name[:100], days, ApiToken.PERSONAL)
    audit.record_event(actor=user, action="api_token_created", object_id=token.pk)
    return token, secret


@transaction.atomic
def do_revoke(user: User, token_id) -> None:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_event(actor=user, action="api_token_revoked", object_id=token.pk)


def end_all(user: User) -> int:
    """End every live token of this person, with her sessions: signing out everywhere, a new
    password or second factor must not leave a way in behind them. Returns how many ended."""
    ended = ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                    expires_at__gt=timezone.now()).update(
        revoked_at=timezone.now())
    if ended:
        audit.record_event(actor=user, action="api_tokens_ended")
    return ended


def listed(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))


def create_integration(name: str, days: int = 365) -> tuple[ApiToken, str]:
    """An account and credential for a connected system (an administrator's command)."""
    username = "system." + "".join(c if c.isalnum() else "-" for c in name.lower())[:60]
    user, _created = User.objects.get_or_create(
        username=username, defaults={"role": Role.INTEGRATION, "display_name": name})
    if not capabilities.is_connected_system(user):
        raise ValidationError(_("That name belongs to a person's account."))
    user.set_unusable_password()  # it never signs in to the pages
    user.save()
    token, secret = _new(user, name, days, ApiToken.INTEGRATION)
    audit.record_event(actor=None, action="integration_created", object_id=token.pk)
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The live token for this secret, or None (unknown, revoked, expired, account gone)."""
    if not secret.startswith(PREFIX):
        return None
    token = (ApiToken.objects.select_related("user").filter(token_hash=_hash(secret)).first())
    now = timezone.now()
    if (token is None or token.revoked_at is not None or token.expires_at <= now
            or not token.user.is_active):
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
