"""What reminds her, on her phone (decision 0057): an appointment tomorrow, her review coming
up (and again when it is due) while she has not said what she thinks, something new in her
passport since her last visit, her share link used. Each reason is told once; she hears at
most once a day unless she asked for each one, and never between 21:00 and 08:00 UK time.
Every reminder says the same: "My Health: you have something new", in her language. What it is
waits in the app, behind her sign-in.

Run by `manage.py send_reminders` (cron, hourly).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passport.access.policy import reachable, visible
from passport.accounts import push
from passport.care import before_review
from passport.models import Appointment, PushSubscription, ReminderSent, ShareLinkUse, User
from passport.records import selectors

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
QUIET_FROM, QUIET_UNTIL = 21, 8  # hours, UK time: nothing from 21:00 until 08:00


def quiet(now: datetime.datetime) -> bool:
    hour = now.astimezone(UK).hour
    return hour >= QUIET_FROM or hour < QUIET_UNTIL


def message() -> dict:
    """The whole of every reminder: no health content, no name, no kind of reason (an
    "appointment tomorrow" on a lock screen tells whoever holds the phone something)."""
    return {"title": _("My Health"), "body": _("You have something new."), "url": "/",
            "tag": "my-health"}


def reasons(user: User, now: datetime.datetime) -> list[str]:
    """The keys of what there is to remind her of now (each told once): names of things,
    never their content. Reading them is hers (her own reach), and leaves no trace."""
    own = next((r for r in reachable(user) if r.is_owner), None)
    if own is None:
        return []
    today = now.astimezone(UK).date()
    found = []
    home = selectors.young_persons_home(own, user.previous_visit)
    if home.new:  # changed by someone else since her last visit: once for each newest change
        found.append(f"push:new:{max(n[3] for n in home.new).isoformat()}")
    tomorrow = today + datetime.timedelta(days=1)
    found += [f"push:appointment:{a.pk}:{a.on_date}" for a in visible(
                  own, Appointment.objects.filter(passport=own.passport))
              if a.on_date == tomorrow and a.status in (None, "", "booked")]
    asking = before_review.asking(own, today)
    if asking is not None and asking.sent is None:
        found.append(f"push:review:{asking.due_on}")
        if asking.due_now:
            found.append(f"push:review-due:{asking.due_on}")
    if user.previous_visit is not None:
        found += [f"push:link:{pk}" for pk in ShareLinkUse.objects.filter(
            passport=own.passport, at__gt=user.previous_visit).values_list("pk", flat=True)]
    return found


def send_phone_reminders(now: datetime.datetime | None = None) -> int:
    """One reminder to each young person with something new and a live subscription, on each
    of her devices; returns how many people were reminded."""
    now = now or timezone.now()
    if quiet(now):
        return 0
    by_user: dict[int, list[PushSubscription]] = defaultdict(list)
    for subscription in PushSubscription.objects.select_related("session", "user"):
        if push.is_live(subscription, now):
            by_user[subscription.user_id].append(subscription)
        else:  # signed out by time or otherwise: the reminders of that session end
            subscription.delete()
    reminded = 0
    for subscriptions in by_user.values():
        try:
            reminded += _remind(subscriptions, now)
        except Exception:  # one young person's failure must not stop everyone else's
            logger.exception("reminders for user %s failed", subscriptions[0].user_id)
    return reminded


def _remind(subscriptions: list[PushSubscription], now: datetime.datetime) -> int:
    """Remind one young person on each of her live devices: 1 if it reached one, else 0 (and
    what was to be told waits for the next run)."""
    user = subscriptions[0].user
    claimed: list[str] = []
    day: list[str] = []
    try:
        keys = [k[:200] for k in reasons(user, now)]
        told = set(ReminderSent.objects.filter(user=user, key__in=keys)
                   .values_list("key", flat=True))
        new = [k for k in keys if k not in told]
        if not new:
            return 0
        day = [] if user.reminders_each_time else [f"push-day:{now.astimezone(UK).date()}"]
        if day and not _claim(user, day):
            return 0  # she heard from us today: the rest waits for tomorrow
        claimed = _claim(user, new)
        if not claimed:  # another run told her meanwhile
            ReminderSent.objects.filter(user=user, key__in=day).delete()
            return 0
        with translation.override(user.language or settings.LANGUAGE_CODE):
            payload = message()
        results = [push.send(s, payload) for s in subscriptions]
    except Exception:
        ReminderSent.objects.filter(user=user, key__in=claimed + day).delete()
        raise
    if push.SENT in results:
        return 1
    ReminderSent.objects.filter(user=user, key__in=claimed + day).delete()  # try again later
    return 0


def _claim(user: User, keys: list[str]) -> list[str]:
    """Record the keys not yet told, and return them: two cron runs at once tell each once
    (the unique constraint decides)."""
    new = []
    for key in keys:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, key=key, sent_at=timezone.now())
        except IntegrityError:
            continue
        new.append(key)
    return new
