"""'This isn't right' on every entry: a correction request to her health team, who correct the
entry (an amendment with a reason, history kept) and mark the request dealt with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.models import CorrectionRequest, Entry
from passport.records import audit

__all__ = ["CorrectionRequest", "do_ask_correction", "do_mark_dealt_with", "open_requests"]
from passport.access.policy import Basis, Reach


@transaction.atomic
def do_ask_correction(reach: Reach, entry: Entry, message: str) -> CorrectionRequest:
    if not reach.is_owner or entry.passport_id != reach.passport.pk:
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write what isn't right.")})
    request = CorrectionRequest(passport=reach.passport, section=entry.section_key,
                                entry_type=entry.TYPE, entry_id=entry.pk, message=message,
                                asked_by=reach.user, asked_at=timezone.now())
    request.save(force_insert=True)
    audit.record_event(actor=reach.user, action="correction_asked", passport=reach.passport,
                       basis=Basis.OWNER, section=entry.section_key, object_id=entry.pk)
    return request


def open_requests(reach: Reach, section: str) -> list[CorrectionRequest]:
    """For her health team: what she asked to be corrected in this section."""
    if Basis.HEALTH_TEAM not in reach.bases:
        return []
    return list(CorrectionRequest.objects.filter(passport=reach.passport, section=section,
                                                 dealt_with_at__isnull=True)
                .order_by("asked_at"))


def waiting_for_her(reach: Reach, section: str) -> dict:
    """For her own view: {entry id: when she asked} for each entry of this section she asked
    her nurse to correct and that is not dealt with yet, so the entry says it is waiting."""
    if not reach.is_owner:
        return {}
    waiting: dict = {}
    for entry_id, asked_at in (CorrectionRequest.objects.filter(
            passport=reach.passport, section=section, dealt_with_at__isnull=True)
            .order_by("asked_at").values_list("entry_id", "asked_at")):
        waiting.setdefault(entry_id, asked_at)
    return waiting


@transaction.atomic
def do_mark_dealt_with(reach: Reach, request_id) -> None:
    if Basis.HEALTH_TEAM not in reach.bases:
        raise PermissionDenied
    changed = CorrectionRequest.objects.filter(
        pk=request_id, passport=reach.passport, dealt_with_at__isnull=True).update(
        dealt_with_at=timezone.now(), dealt_with_by=reach.user)
    if changed:
        audit.record_event(actor=reach.user, action="correction_dealt_with",
                           passport=reach.passport, basis=Basis.HEALTH_TEAM,
                           object_id=request_id)
