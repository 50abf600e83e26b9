"""The young person's devices that keep a copy of her essentials offline."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from passport.access import capabilities
from passport.models import OfflineDevice, User
from passport.records import audit

COOKIE = "hp_device"
MAX_DEVICES = 5


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def label_for(user_agent: str) -> str:
    """A plain name for a device from its browser's own description (never content)."""
    ua = user_agent or ""
    system = next((name for key, name in (("Android", "Android"), ("iPhone", "iPhone"),
                                         ("iPad", "iPad"), ("Windows", "Windows"),
                                         ("Mac OS", "Mac"), ("Linux", "Linux")) if key in ua),
                  "")
    browser = next((name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"),
                                          ("Chrome/", "Chrome"), ("Safari/", "Safari"))
                    if key in ua), "")
    return " · ".join(p for p in (browser, system) if p) or "Browser"


@transaction.atomic
def do_keep_copy(user: User, user_agent: str) -> str:
    """Register this device; returns the secret for its cookie (only the hash is kept)."""
    if not capabilities.can_own_passport(user):
        raise PermissionDenied
    now = timezone.now()
    live = OfflineDevice.objects.filter(user=user, revoked_at__isnull=True).order_by("created_at")
    for old in list(live)[: max(0, live.count() - MAX_DEVICES + 1)]:
        OfflineDevice.objects.filter(pk=old.pk).update(revoked_at=now)  # the oldest goes
    token = secrets.token_urlsafe(32)
    OfflineDevice.objects.create(user=user, label=label_for(user_agent)[:100],
                                 token_hash=_hash(token), created_at=now, last_seen_at=now)
    audit.record_event(actor=user, action="offline_copy_on")
    return token


def device_for(user: User, token: str | None) -> OfflineDevice | None:
    """This device, if it belongs to the user and is not revoked; it is seen now."""
    if not token or not user.is_authenticated:
        return None
    device = OfflineDevice.objects.filter(user=user, token_hash=_hash(token),
                                          revoked_at__isnull=True).first()
    if device is not None and (timezone.now() - device.last_seen_at).total_seconds() > 3600:
        OfflineDevice.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device


@transaction.atomic
def do_revoke(user: User, device_id) -> None:
    changed = OfflineDevice.objects.filter(pk=device_id, user=user,
                                           revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if changed:
        audit.record_event(actor=user, action="offline_copy_off", object_id=device_id)


def devices_of(user: User) -> list[OfflineDevice]:
    return list(OfflineDevice.objects.filter(user=user, revoked_at__isnull=True)
                .order_by("-last_seen_at"))
