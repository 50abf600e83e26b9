"""How long a signed-in session lasts: idle and absolute limits, "sign out
everywhere", and the young person's choice to stay signed in on her own phone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from passport.access import capabilities
from passport.accounts import push, tokens
from passport.models import SignedInSession, User
from passport.records import audit

STARTED, SEEN, LONG, LISTED = "hp_started", "hp_seen", "hp_long", "hp_session"


@dataclass(frozen=True)
class Limits:
    idle: datetime.timedelta
    absolute: datetime.timedelta


PROFESSIONAL = Limits(datetime.timedelta(minutes=30), datetime.timedelta(hours=12))
YOUNG_PERSON = Limits(datetime.timedelta(minutes=30), datetime.timedelta(hours=12))
# A young person on her own phone may choose to stay signed in.
OWN_DEVICE = Limits(datetime.timedelta(days=14), datetime.timedelta(days=30))


def limits_for(user: User, long: bool) -> Limits:
    if not capabilities.can_own_passport(user):
        return PROFESSIONAL
    return OWN_DEVICE if long else YOUNG_PERSON


def start(request: HttpRequest, *, stay_signed_in: bool = False) -> None:
    """At sign-in: when it began, and (for a young person who asked) a longer life."""
    now = timezone.now()
    long = stay_signed_in and capabilities.can_own_passport(request.user)
    request.session[STARTED] = request.session[SEEN] = now.isoformat()
    request.session[LONG] = long
    # A short session's cookie ends with the browser too.
    request.session.set_expiry(int(OWN_DEVICE.absolute.total_seconds()) if long else 0)
    _list(request, now)


def _list(request: HttpRequest, now: datetime.datetime) -> None:
    """In her list of where she is signed in."""
    listed = SignedInSession.objects.create(
        user=request.user, device=device_name(request.headers.get("User-Agent", "")),
        started_at=now, last_seen_at=now)
    request.session[LISTED] = str(listed.pk)


def expired(request: HttpRequest, now: datetime.datetime | None = None) -> bool:
    """Whether the session has run out; refreshes "last seen" (at most once a minute)."""
    now = now or timezone.now()
    session, user = request.session, request.user
    if STARTED not in session:
        start(request)
    started = datetime.datetime.fromisoformat(session[STARTED])
    seen = datetime.datetime.fromisoformat(session[SEEN])
    limits = limits_for(user, bool(session.get(LONG)))
    if (now - seen > limits.idle or now - started > limits.absolute
            or (user.sessions_valid_after and started < user.sessions_valid_after)):
        return True
    if LISTED not in session:  # a session from before the list: listed from now
        _list(request, now)
    elif not SignedInSession.objects.filter(pk=session[LISTED], ended_at__isnull=True).exists():
        return True  # she ended it from another device
    if now - seen > datetime.timedelta(minutes=1):
        session[SEEN] = now.isoformat()
        SignedInSession.objects.filter(pk=session[LISTED]).update(last_seen_at=now)
    return False


def listed(user: User) -> list[SignedInSession]:
    """Where she is signed in now: sessions not ended and not yet past their limits."""
    now = timezone.now()
    return [s for s in SignedInSession.objects.filter(user=user, ended_at__isnull=True)
            .order_by("-last_seen_at") if still_signed_in(s, user, now)]


def still_signed_in(session: SignedInSession, user: User, now: datetime.datetime) -> bool:
    """Not ended, not past the longest limits a session may have, and not from before "sign
    out everywhere" (her list, and her phones' reminders, go by it)."""
    return (session.ended_at is None and now - session.last_seen_at <= OWN_DEVICE.idle
            and now - session.started_at <= OWN_DEVICE.absolute
            and not (user.sessions_valid_after
                     and session.started_at < user.sessions_valid_after))


@transaction.atomic
def do_end_session(user: User, session_id) -> bool:
    """End one of her sessions (at its next request). False if it is not hers or already over."""
    ended = SignedInSession.objects.filter(pk=session_id, user=user, ended_at__isnull=True
                                           ).update(ended_at=timezone.now())
    if ended:
        push.end_for_session(session_id)  # its reminders stop with it
        audit.record_event(actor=user, action="session_ended", object_id=session_id)
    return bool(ended)


def signed_out(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """At any sign-out (Django's user_logged_out): this session leaves her list."""
    sid = request.session.get(LISTED) if request is not None and hasattr(
        request, "session") else None
    if sid:
        SignedInSession.objects.filter(pk=sid, ended_at__isnull=True).update(
            ended_at=timezone.now())
        push.end_for_session(sid)  # signed out here (quick exit too): no more reminders here


BROWSERS = (("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox", "Firefox"),
            ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
           ("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "Chromebook"),
           ("Linux", "Linux"))


def device_name(agent: str) -> str:
    """A rough, recognisable name for the list: "Chrome, Android" (product names, which are
    not translated). Never the whole string."""
    browser = next((name for mark, name in BROWSERS if mark in agent), "")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    return ", ".join(name for name in (browser, system) if name)  # product names only


@transaction.atomic
def do_sign_out_everywhere(request: HttpRequest) -> None:
    """Every session of hers ends, and every API token with them."""
    user = request.user
    User.objects.filter(pk=user.pk).update(sessions_valid_after=timezone.now())
    SignedInSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now())
    audit.record_event(actor=user, action="signed_out_everywhere")
    tokens.end_all(user)
    push.end_all(user)
    logout(request)


def end_all_listed(user: User) -> None:
    """A new password from the emailed link: Django refuses her old sessions (their password
    hash is old) without signing them out, so her list and her phones' reminders end here."""
    SignedInSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now())
    push.end_all(user)


@transaction.atomic
def do_password_changed(request: HttpRequest) -> None:
    """She changed her password here: every other session of hers leaves her list (Django
    already refuses them, their password hash being old), every API token ends, and this
    session stays."""
    user = request.user
    SignedInSession.objects.filter(user=user, ended_at__isnull=True).exclude(
        pk=request.session.get(LISTED)).update(ended_at=timezone.now())
    push.end_all(user, keep_session=request.session.get(LISTED))
    tokens.end_all(user)
    audit.record_event(actor=user, action="password_changed")
