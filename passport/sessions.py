"""How long a signed-in session lasts (issue 4): idle and absolute limits, "sign out
everywhere", and the young person's choice to stay signed in on her own phone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from passport import audit, tokens
from passport.models import Role, User

STARTED, SEEN, LONG = "hp_started", "hp_seen", "hp_long"


@dataclass(frozen=True)
class Limits:
    idle: datetime.timedelta
    absolute: datetime.timedelta


PROFESSIONAL = Limits(datetime.timedelta(minutes=30), datetime.timedelta(hours=12))
YOUNG_PERSON = Limits(datetime.timedelta(minutes=30), datetime.timedelta(hours=12))
# A young person on her own phone may choose to stay signed in (issue 4, item 5).
OWN_DEVICE = Limits(datetime.timedelta(days=14), datetime.timedelta(days=30))


def limits_for(user: User, long: bool) -> Limits:
    if user.role != Role.YOUNG_PERSON:
        return PROFESSIONAL
    return OWN_DEVICE if long else YOUNG_PERSON


def start(request: HttpRequest, *, stay_signed_in: bool = False) -> None:
    """At sign-in: when it began, and (for a young person who asked) a longer life."""
    now = timezone.now()
    long = stay_signed_in and request.user.role == Role.YOUNG_PERSON
    request.session[STARTED] = request.session[SEEN] = now.isoformat()
    request.session[LONG] = long
    # A short session's cookie ends with the browser too.
    request.session.set_expiry(int(OWN_DEVICE.absolute.total_seconds()) if long else 0)


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
    if now - seen > datetime.timedelta(minutes=1):
        session[SEEN] = now.isoformat()
    return False


@transaction.atomic
def do_sign_out_everywhere(request: HttpRequest) -> None:
    """Every session of hers ends, and every API token with them."""
    user = request.user
    User.objects.filter(pk=user.pk).update(sessions_valid_after=timezone.now())
    audit.record_event(actor=user, action="signed_out_everywhere")
    tokens.end_all(user)
    logout(request)
