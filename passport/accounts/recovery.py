"""Account recovery for a young person with no email (decision 0024).

She forgot her password. Her health team (her nurse, or her personal adviser once she has left
care) confirms who she is in person and issues a one-time code; she types it with a new password
on the "I have a code" page. Nobody else ever sees her password, and nobody sets it for her: not
the nurse, not an admin.

The code: 12 letters and digits (about 60 bits), shown once, kept only as a hash, valid for 15
minutes, voided by a newer code or after 5 wrong tries. Using it ends her other sessions and API
tokens, and both the issue and the use appear in her "who has looked".
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.access.policy import Action, Basis, Reach
from passport.accounts import tokens
from passport.models import RecoveryCode, Role, User
from passport.records import audit

LIFETIME = datetime.timedelta(minutes=15)
WRONG_TRIES = 5
# No 0/O, 1/I/L: read aloud or copied from a screen without mistakes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def issuing_basis(reach: Reach) -> Basis | None:
    """Her health team, or her personal adviser: the people who know her and can confirm in
    person that it is her asking."""
    if reach.passport.owner_id is None:
        return None
    if reach.basis_for("about_me", Action.WRITE) is Basis.HEALTH_TEAM:
        return Basis.HEALTH_TEAM
    if (Basis.SOCIAL_WORK in reach.bases
            and capabilities.helps_recovery_through_social_work(reach.user)):
        return Basis.SOCIAL_WORK
    return None


@transaction.atomic
def do_issue(reach: Reach) -> str:
    """A new code for her (any earlier one stops working). The code is returned to be shown
    once and is never stored."""
    basis = issuing_basis(reach)
    if basis is None:
        raise PermissionDenied
    owner = User.objects.select_for_update().get(pk=reach.passport.owner_id)
    now = timezone.now()
    RecoveryCode.objects.filter(user=owner, used_at__isnull=True,
                                voided_at__isnull=True).update(voided_at=now)
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    issued = RecoveryCode.objects.create(
        user=owner, passport=reach.passport, code_hash=_hash(code), issued_by=reach.user,
        basis=basis, created_at=now, expires_at=now + LIFETIME)
    audit.record_event(actor=reach.user, action="recovery_code_issued", passport=reach.passport,
                       basis=basis, object_id=issued.pk)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def refused() -> ValidationError:
    """One answer for every refusal: no such account, no code, a wrong, old or used code."""
    return ValidationError(_("That username and code do not match a code that is still "
                             "valid. Codes last 15 minutes and work once: ask for a new one "
                             "if you need to."))


def do_use(username: str, code: str, password: str) -> User:
    """Set her new password with the code. Wrong tries are counted (and committed) even
    though the request is refused."""
    with transaction.atomic():
        user = (User.objects.select_for_update()
                .filter(username__iexact=(username or "").strip(), role=Role.YOUNG_PERSON,
                        is_active=True).first())
        live = None
        if user is not None:
            live = (RecoveryCode.objects.select_for_update()
                    .filter(user=user, used_at__isnull=True, voided_at__isnull=True,
                            expires_at__gt=timezone.now())
                    .order_by("-created_at").first())
        if live is None:
            raise refused()
        if not hmac.compare_digest(live.code_hash, _hash(_normalised(code))):
            live.wrong_tries += 1
            if live.wrong_tries >= WRONG_TRIES:
                live.voided_at = timezone.now()
            live.save(update_fields=["wrong_tries", "voided_at"])
            wrong = True
        else:
            wrong = False
    if wrong:
        raise refused()
    return _set_password(user, live, password)


@transaction.atomic
def _set_password(user: User, live: RecoveryCode, password: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    live = RecoveryCode.objects.select_for_update().get(pk=live.pk)
    if live.used_at or live.voided_at:
        raise refused()  # spent by a request that came at the same moment
    try:
        validate_password(password, user)
    except ValidationError as error:  # about the password, not the code: she tries another
        raise ValidationError({"password": error.messages}) from None
    now = timezone.now()
    user.set_password(password)
    user.sessions_valid_after = now  # every other session ends, the lost phone's too
    user.save(update_fields=["password", "sessions_valid_after"])
    live.used_at = now
    live.save(update_fields=["used_at"])
    tokens.end_all(user)
    # In her log under the person who gave the code: if she did not use it, she sees it was.
    audit.record_event(actor=live.issued_by, action="recovery_code_used",
                       passport=live.passport_id, basis=live.basis, object_id=live.pk)
    return user
