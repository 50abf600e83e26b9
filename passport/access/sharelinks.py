"""Share links ("show my new GP or dentist", docs/architecture.md 5): chosen sections for a short
time, to whoever holds the link and its code, which travels another way. The viewer says who they
are before the code; every use is in the young person's "who has looked"; she revokes at once.

Only hashes are kept: SHA-256 of the link's token (a 192-bit random secret), and a keyed HMAC
of the 8-digit code. Wrong codes are counted on the link's own row by a conditional UPDATE that
reserves a try before the code is compared, so no number of processes gets more than
CODE_TRIES guesses at a link.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passport.access.policy import Basis, Reach
from passport.encryption import keys
from passport.models import ShareLink, ShareLinkUse
from passport.records import audit

CODE_TRIES = 5
DEFAULT_HOURS, MAX_HOURS = 72, 7 * 24
LIFETIMES = (24, 72, MAX_HOURS)
# Ready choices: never family history (docs/access.md 2, note b), never sexual health.
READY = {
    "gp": (gettext_lazy("A new GP"), ("about_me", "contacts", "immunisations", "conditions",
                                      "health_plan", "appointments")),
    "dentist": (gettext_lazy("A dentist or optician"), ("about_me", "conditions")),
    "urgent": (gettext_lazy("Urgent care or a hospital"), ("about_me", "contacts",
                                                           "conditions", "immunisations")),
}


class LinkState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LOCKED = "locked"


def state(link: ShareLink, now: datetime.datetime | None = None) -> LinkState:
    now = now or timezone.now()
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    if link.attempts >= CODE_TRIES:
        return LinkState.LOCKED
    return LinkState.ACTIVE


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(link_id: UUID, code: str) -> str:
    return keys.keyring().blind_index("share-code", f"{link_id}:{code}")


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def display_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


@dataclass(frozen=True)
class NewLink:
    link: ShareLink
    token: str  # shown once, in the link
    code: str  # shown once, separately


@transaction.atomic
def do_create_link(reach: Reach, *, sections_: list[str], hours: int = DEFAULT_HOURS,
                   family_history_understood: bool = False, wishes: str = "") -> NewLink:
    """Whoever manages her sharing (she, once self-managed; while supported, her nurse,
    recording her wishes) makes a link to chosen sections for at most 7 days."""
    from passport.access.sharing import GRANTABLE, _keep_wishes, who_decides

    basis = who_decides(reach)
    if basis is None:
        raise PermissionDenied
    chosen = sorted(set(sections_))
    errors: dict[str, list[str]] = {}
    if not chosen or any(s not in GRANTABLE for s in chosen):
        errors["sections"] = [_("Choose at least one section to show.")]
    elif "sexual_health" in chosen and basis is not Basis.OWNER:
        errors["sections"] = [_("Only the young person can share her sexual health.")]
    if "family_history" in chosen and not family_history_understood:
        errors["family_history_understood"] = [_(
            "Family history is about your birth family. Tick the box to say you understand "
            "that, before you add it to a link.")]
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [_("A link lasts at most 7 days.")]
    if basis is Basis.HEALTH_TEAM and not wishes.strip():
        errors["wishes"] = [_("Record what the young person wants.")]
    if errors:
        raise ValidationError(errors)
    _keep_wishes(reach, basis, "share_link_created", wishes)
    token = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10 ** 8):08d}"
    now = timezone.now()
    link = ShareLink(passport=reach.passport, sections=chosen, token_hash=_token_hash(token),
                     created_by=reach.user, created_at=now,
                     expires_at=now + datetime.timedelta(hours=hours))
    link.code_hash = _code_hash(link.pk, code)
    link.save(force_insert=True)
    audit.record_event(actor=reach.user, action="share_link_created", passport=reach.passport,
                       basis=basis, object_id=link.pk)
    return NewLink(link, token, code)


def link_for_token(token: str) -> ShareLink | None:
    if not token or len(token) > 64:
        return None
    return ShareLink.objects.filter(token_hash=_token_hash(token)).first()


class LinkClosed(Exception):
    """Expired, revoked or locked: the viewer is told only that it no longer works."""


def do_use_link(link: ShareLink, *, code: str, viewer_name: str,
                organisation: str) -> ShareLinkUse | None:
    """Check a code: a wrong one uses up a try (kept even though nothing else is written);
    a right one records who opened the link. None for a wrong code."""
    viewer_name, organisation = viewer_name.strip(), organisation.strip()
    if not viewer_name or not organisation:
        raise ValidationError(_("Give your name and your organisation first."))
    now = timezone.now()
    with transaction.atomic():
        reserved = ShareLink.objects.filter(
            pk=link.pk, attempts__lt=CODE_TRIES, revoked_at__isnull=True, expires_at__gt=now,
        ).update(attempts=F("attempts") + 1)
    if not reserved:
        raise LinkClosed
    if not hmac.compare_digest(_code_hash(link.pk, normalise_code(code)), link.code_hash):
        return None  # the try stays used
    with transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(attempts=F("attempts") - 1)
        use = ShareLinkUse(link=link, passport_id=link.passport_id, viewer_name=viewer_name,
                           organisation=organisation, at=now)
        use.save(force_insert=True)
        audit.record_event(actor=None, action="share_link_used", passport=link.passport_id,
                           basis=Basis.SHARE_LINK, object_id=use.pk)
    return use


@transaction.atomic
def do_revoke_link(reach: Reach, link_id: UUID) -> None:
    from passport.access.sharing import who_decides

    basis = who_decides(reach)
    if basis is None and not reach.is_owner:
        raise PermissionDenied
    changed = ShareLink.objects.filter(pk=link_id, passport=reach.passport,
                                       revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        audit.record_event(actor=reach.user, action="share_link_revoked",
                           passport=reach.passport, basis=basis or Basis.OWNER,
                           object_id=link_id)


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    state: LinkState
    uses: list[ShareLinkUse]


def links_of(reach: Reach) -> list[LinkRow]:
    """Her links, newest first, with every use: for her (and, while supported, her nurse)."""
    from passport.access.sharing import who_decides

    if not (reach.is_owner or who_decides(reach)):
        raise PermissionDenied
    now = timezone.now()
    links = ShareLink.objects.filter(passport=reach.passport).order_by("-created_at")
    uses: dict[UUID, list[ShareLinkUse]] = {}
    for use in ShareLinkUse.objects.filter(passport=reach.passport).order_by("at"):
        uses.setdefault(use.link_id, []).append(use)
    return [LinkRow(link, state(link, now), uses.get(link.pk, [])) for link in links]


def use_names(passport_id: UUID, use_ids: set[UUID]) -> dict[UUID, str]:
    """For "who has looked": the name and organisation each viewer gave."""
    return {use.pk: f"{use.viewer_name} ({use.organisation})"
            for use in ShareLinkUse.objects.filter(passport_id=passport_id, pk__in=use_ids)}
