"""Second factors (docs/architecture.md 8): TOTP from an authenticator app, with ten
single-use backup codes. Required for every role but young people, who may turn them on.

django-otp does the cryptography; this module decides who needs what, creates devices with
the service's settings (a code only in its own 30-second window), and keeps the audit trail.
"""

from __future__ import annotations

import functools
import secrets

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import device_classes, devices_for_user, match_token
from django_otp import login as otp_login

from passport.access import capabilities
from passport.models import Authenticator, BackupCodes, User
from passport.records import audit

BACKUP_CODES = 10


def has_second_factor(user: User) -> bool:
    """Whether she has a confirmed device of any kind. Asked on every page a young person
    opens, so one short statement, written once: django-otp asks each kind of device in turn
    (three queries), and the same question built through the ORM cost a young person's
    passport page more than its own query did."""
    if user.is_anonymous:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_any_device_sql(connection.vendor),
                       [User._meta.pk.get_db_prep_value(user.pk, connection)] * _device_kinds())
        return bool(cursor.fetchone()[0])


@functools.cache
def _any_device_sql(_vendor: str) -> str:
    """SELECT EXISTS (a confirmed device of the first kind) OR EXISTS (...) ...: what each
    kind's `devices_for_user(user, confirmed=True)` selects (tests/passport/
    test_second_factor_kinds.py holds the two to the same answer for every kind)."""
    quote = connection.ops.quote_name
    # Table and column names from the models, quoted; the user's id is a parameter.
    kinds = [f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE "  # noqa: S608
             f"{quote(model._meta.get_field('user').column)} = %s AND "
             f"{quote(model._meta.get_field('confirmed').column)})"
             for model in device_classes()]
    return "SELECT " + " OR ".join(kinds)


@functools.cache
def _device_kinds() -> int:
    return len(list(device_classes()))


def needs_second_factor(user: User) -> bool:
    """Everyone but a young person (and anyone who can use the admin); a young person once
    she has turned one on."""
    return capabilities.must_use_second_factor(user) or has_second_factor(user)


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


@transaction.atomic
def do_start_totp(user: User) -> Authenticator:
    """A new, unconfirmed authenticator for the user, replacing any earlier unconfirmed one.
    Tolerance 0: a code works only in its own 30-second window (django-otp allows the
    neighbouring windows by default)."""
    Authenticator.objects.filter(user=user, confirmed=False).delete()
    return Authenticator.create_for(user, name="Authenticator app", confirmed=False)


def _new_backup_codes(user: User) -> list[str]:
    BackupCodes.objects.filter(user=user).delete()
    device = BackupCodes.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]  # 8 hex characters each
    for code in codes:
        device.add(code)  # kept only as a keyed hash
    return codes


@transaction.atomic
def do_confirm_totp(request: HttpRequest, device: Authenticator, token: str
                    ) -> list[str] | None:
    """Confirm the authenticator with its first code; the session counts as verified, gets a
    new key, and the user gets ten backup codes (shown once). None if the code is wrong."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    Authenticator.objects.filter(user=user, confirmed=True).delete()  # one at a time
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    _verified(request, device)
    audit.record_event(actor=user, action="second_factor_added")
    return codes


@transaction.atomic
def do_verify(request: HttpRequest, token: str) -> bool:
    """Check a code from any of the user's confirmed devices; a backup code works once.
    The user's row is locked first, so two requests cannot both spend one code or race the
    wait that django-otp imposes after failures."""
    User.objects.select_for_update().filter(pk=request.user.pk).first()
    device = match_token(request.user, token.strip().replace(" ", ""))
    if device is None:
        return False
    _verified(request, device)
    return True


@transaction.atomic
def check_fresh_code(user: User, token: str) -> bool:
    """A code checked at this moment, for an action that needs a fresh second factor (break
    glass). Commits on its own, failures included: django-otp's wait after wrong codes must
    not be rolled back with the caller's refusal."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    return match_token(user, (token or "").strip().replace(" ", "")) is not None


def _verified(request: HttpRequest, device) -> None:
    # A new session key once the second factor is passed (no session fixation across it).
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def do_new_backup_codes(request: HttpRequest) -> list[str]:
    codes = _new_backup_codes(request.user)
    audit.record_event(actor=request.user, action="backup_codes_renewed")
    return codes


@transaction.atomic
def do_reset_second_factor(actor: User, young_person: User, passport) -> None:
    """A young person lost her phone: her nurse (having confirmed who she is) removes her
    factors, so she can sign in with her password and set up a new one. Logged in her own
    log, which she sees (docs/architecture.md 8)."""
    for device in devices_for_user(young_person, confirmed=None):
        device.delete()  # authenticator, backup codes and passkeys alike
    # The lost phone may still hold a signed-in session or a token: end them all.
    User.objects.filter(pk=young_person.pk).update(sessions_valid_after=timezone.now())
    from passport.accounts import tokens  # tokens needs this module: imported when used

    tokens.end_all(young_person)
    audit.record_event(actor=actor, action="second_factor_reset", passport=passport,
                       basis="health_team")
