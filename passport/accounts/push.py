"""Reminders on her phone: Web Push (RFC 8030), signed with the keyring's VAPID key (RFC 8292)
and encrypted for her browser (RFC 8291), sent with pywebpush (decision 0057).

A subscription is the browser's: an address at its push service, and the keys to encrypt for
it. Whoever holds it can put a message on her lock screen, so it is sealed at rest, and lives
only as long as the signed-in session it was made in. It is also an address the browser chose,
which the server then posts to: a route for server-side request forgery. Only the known push
services' hosts over HTTPS are accepted, when she subscribes and again at every send, and no
redirect is followed (loopback only under a test setting).

What is sent never holds health content or a name: "My Health" and "You have something new",
in her language, and the app's own address.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import re
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.encryption import crypto, keys
from passport.models import PushSubscription, SignedInSession, User
from passport.models.devices import seal, unseal
from passport.records import audit

logger = logging.getLogger(__name__)

SEALED_AS = "push"
# The push services of the browsers people use (each browser chooses its own): Chrome and
# other Chromium browsers on Android and desktop, Firefox, Safari (iPhone from iOS 16.4, once
# the app is on her home screen), Edge. A name with a leading dot matches its subdomains.
PUSH_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com",
              ".push.apple.com", ".notify.windows.com")
LONGEST_ADDRESS = 1000
# What a push service's address is made of (RFC 3986's unreserved characters, delimiters and
# percent-escapes; never "\\" or a space), and a host name of letters, digits, dots and
# hyphens.
SAFE_ADDRESS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=\[\]]|%[0-9A-Fa-f]{2})+")
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")
TTL = 24 * 60 * 60  # a phone that is off for a day has missed nothing it still needs
TIMEOUT = 10  # seconds for one push service's answer: cron must not hang
GONE = (404, 410)  # the push service says this subscription is no more


def enabled() -> bool:
    """Whether reminders can be offered: the keyring holds a VAPID key."""
    return keys.keyring().vapid_key is not None


def public_key() -> str | None:
    """What her browser subscribes with (`applicationServerKey`)."""
    return keys.keyring().vapid_public()


def check_endpoint(url: str) -> None:
    """A push service we know, over HTTPS on its usual port, named (not an IP address), with
    nothing else in the address's authority; else ValidationError. Loopback over plain HTTP
    only when HP_PUSH_ALLOW_LOOPBACK is set (the tests' own push service)."""
    refused = ValidationError(_("This browser's reminder service is not one My Health knows, "
                                "so reminders cannot be turned on here."), code="push_host")
    if not isinstance(url, str) or len(url) > LONGEST_ADDRESS:
        raise refused
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refused from None
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or not host:
        raise refused
    # Parsers differ on what they take for the host ("https://localhost\\.notify.windows.com/"
    # is that Windows host to urlsplit and localhost to the HTTP library): an address with
    # anything a browser's push service never gives is refused before either reads it.
    if not SAFE_ADDRESS.fullmatch(url) or not HOST_NAME.fullmatch(host) or (
            _sent_to(url) != host):
        raise refused
    if settings.HP_PUSH_ALLOW_LOOPBACK and parts.scheme == "http" and host == "127.0.0.1":
        return
    if parts.scheme != "https" or port not in (None, 443) or _is_address(host):
        raise refused
    if not any(host == name or (name.startswith(".") and host.endswith(name))
               for name in PUSH_HOSTS):
        raise refused


def _sent_to(url: str) -> str:
    """The host the HTTP library would connect to, as it reads the address itself."""
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    try:
        return (parse_url(url).host or "").lower()
    except LocationParseError:
        return ""


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _key(text, length: int, point: bool = False) -> bool:
    """A base64url key of `length` bytes, as a browser's subscription gives them (`point`: a
    P-256 public key, checked to be one: anything else would fail every send)."""
    if not isinstance(text, str) or len(text) > 200:
        return False
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == length and (not point or crypto.is_p256_point(raw))


@transaction.atomic
def do_subscribe(user: User, session_id, subscription: dict) -> PushSubscription:
    """Her browser's subscription, for this signed-in session. The same browser subscribing
    again replaces its old one (whoever it belonged to: the browser is in her hands now)."""
    if not capabilities.can_own_passport(user) or not enabled():
        raise _not_here()
    session = SignedInSession.objects.filter(pk=session_id, user=user,
                                             ended_at__isnull=True).first()
    if session is None:
        raise _not_here()
    keys_ = subscription.get("keys") if isinstance(subscription, dict) else None
    endpoint = subscription.get("endpoint") if isinstance(subscription, dict) else None
    check_endpoint(endpoint)
    if not (isinstance(keys_, dict) and _key(keys_.get("p256dh"), 65, point=True)
            and _key(keys_.get("auth"), 16)):
        raise ValidationError(_("This browser did not give what reminders need: try again, "
                                "or use another browser."), code="push_keys")
    index = keys.keyring().blind_index(SEALED_AS, endpoint)
    for before in PushSubscription.objects.filter(endpoint_hash=index).exclude(user=user):
        # The browser is in someone else's hands now: its last holder's reminders end there.
        audit.record_event(actor=user, action="reminders_off", object_id=before.pk)
    PushSubscription.objects.filter(endpoint_hash=index).delete()
    found = PushSubscription(user=user, session=session, endpoint_hash=index,
                             device=session.device, created_at=timezone.now())
    found.sealed = seal(found.pk, json.dumps(
        {"endpoint": endpoint, "keys": {"p256dh": keys_["p256dh"], "auth": keys_["auth"]}}
    ).encode(), SEALED_AS)
    found.save(force_insert=True)
    audit.record_event(actor=user, action="reminders_on", object_id=found.pk)
    return found


def _not_here() -> ValidationError:
    """Reminders are not for this account, or this session is over."""
    return ValidationError(_("Reminders can be turned on only on a phone where you stay "
                             "signed in."), code="push_session")


@transaction.atomic
def do_unsubscribe(user: User, *, endpoint: str | None = None, subscription_id=None,
                   session_id=None) -> int:
    """She turns reminders off on this browser (by its address, or its signed-in session's)
    or on a device in her list."""
    found = PushSubscription.objects.filter(user=user)
    if endpoint:
        found = found.filter(endpoint_hash=keys.keyring().blind_index(SEALED_AS, str(endpoint)))
    elif subscription_id is not None:
        found = found.filter(pk=subscription_id)
    elif session_id:
        found = found.filter(session_id=session_id)
    else:
        return 0
    ended, _counts = found.delete()
    if ended:
        audit.record_event(actor=user, action="reminders_off")
    return ended


def end_for_session(session_id) -> None:
    """Signed out on that device, or the session ended from her list: its reminders stop."""
    PushSubscription.objects.filter(session_id=session_id).delete()


def end_all(user: User, keep_session=None) -> None:
    """Signed out everywhere (or everywhere else, `keep_session` being where she changed her
    password): those devices' reminders stop."""
    PushSubscription.objects.filter(user=user).exclude(session_id=keep_session).delete()


def subscribed(user: User, session_id) -> bool:
    return PushSubscription.objects.filter(user=user, session_id=session_id).exists()


def is_live(subscription: PushSubscription, now=None) -> bool:
    """Whether its session is still signed in, by the rule of her list of sessions, and her
    account still open."""
    from passport.accounts.sessions import still_signed_in

    user = subscription.user
    return user.is_active and still_signed_in(subscription.session, user, now or timezone.now())


class _NoRedirects(requests.Session):
    """A push service answers; it does not send us elsewhere."""

    def post(self, url, *args, **kwargs):  # type: ignore[override]
        kwargs["allow_redirects"] = False
        return super().post(url, *args, **kwargs)


SENT, GONE_NOW, FAILED = "sent", "gone", "failed"


def send(subscription: PushSubscription, message: dict) -> str:
    """Send `message` (no health content, no names) to one browser: SENT, GONE_NOW (the push
    service no longer knows it, or it is no longer an address we send to: removed) or FAILED
    (kept: the next run tries again). Logs name the subscription's id, never its address."""
    from py_vapid import Vapid02
    from pywebpush import WebPushException, webpush

    info = json.loads(unseal(subscription.pk, subscription.sealed, SEALED_AS))
    try:
        check_endpoint(info["endpoint"])
    except ValidationError:
        subscription.delete()
        return GONE_NOW
    ring = keys.keyring()
    try:
        with _NoRedirects() as session:
            webpush(info, json.dumps(message), vapid_private_key=Vapid02.from_raw(
                        ring.vapid_private().encode()),
                    vapid_claims={"sub": settings.HP_PUSH_CONTACT}, ttl=TTL, timeout=TIMEOUT,
                    requests_session=session)
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            subscription.delete()
            return GONE_NOW
        logger.warning("push to subscription %s refused (%s)", subscription.pk, status)
        return FAILED
    except Exception as error:
        # The connection, or the library with keys it cannot use (one phone's failure must
        # not stop the rest): the type only, never the message (it may quote the address).
        logger.warning("push to subscription %s failed (%s)", subscription.pk,
                       type(error).__name__)
        return FAILED
    PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return SENT
