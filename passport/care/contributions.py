"""Contributions to an assessment from the services that know the young person: the GP, CAMHS,
KITE, the school nurse. Asked for before a review, marked received
with a summary of what they said. Only her health team sees them."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access.policy import Basis, Reach
from passport.errors import NotFound
from passport.models import ContributionRequest, Contributor
from passport.records import audit


def requests_for(reach: Reach) -> list[ContributionRequest]:
    """Awaited first (oldest ask first), then received (newest first)."""
    if not reach.as_health_team("assessments"):
        return []
    found = list(ContributionRequest.objects.filter(passport=reach.passport)
                 .select_related("requested_by"))
    awaited = sorted((r for r in found if r.received_on is None), key=lambda r: r.requested_on)
    received = sorted((r for r in found if r.received_on), key=lambda r: r.received_on,
                      reverse=True)
    return awaited + received


@transaction.atomic
def do_request(reach: Reach, *, contributor: str, contact: str = "",
               requested_on: datetime.date | None = None,
               wanted_by: datetime.date | None = None) -> ContributionRequest:
    reach.require_health_team("assessments")
    today = timezone.localdate()
    requested_on = requested_on or today
    errors: dict[str, list[str]] = {}
    if contributor not in Contributor.values:
        errors["contributor"] = [_("Choose who was asked.")]
    if requested_on > today:
        errors["requested_on"] = [_("This date is in the future.")]
    if wanted_by and wanted_by < requested_on:
        errors["wanted_by"] = [_("This is before the day it was asked for.")]
    if errors:
        raise ValidationError(errors)
    request = ContributionRequest(passport=reach.passport, contributor=contributor,
                                  contact=(contact or "").strip(), requested_on=requested_on,
                                  wanted_by=wanted_by, requested_by=reach.user)
    request.save(force_insert=True)
    audit.record_event(actor=reach.user, action="contribution_requested",
                       passport=reach.passport, basis=Basis.HEALTH_TEAM, section="assessments",
                       object_id=request.pk)
    return request


@transaction.atomic
def do_mark_received(reach: Reach, request_id: UUID, *, summary: str,
                     received_on: datetime.date | None = None) -> ContributionRequest:
    reach.require_health_team("assessments")
    request = (ContributionRequest.objects.select_for_update()
               .filter(pk=request_id, passport=reach.passport).first())
    if request is None:
        raise NotFound
    if request.received_on is not None:
        raise ValidationError(_("This has already been marked received."))
    received_on = received_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if not (summary or "").strip():
        errors["summary"] = [_("Summarise what they said.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("This date is in the future.")]
    elif received_on < request.requested_on:
        errors["received_on"] = [_("This is before the day it was asked for.")]
    if errors:
        raise ValidationError(errors)
    request.received_on, request.summary = received_on, summary.strip()
    request.received_by = reach.user
    request.save(update_fields=["received_on", "summary", "received_by"])
    audit.record_event(actor=reach.user, action="contribution_received",
                       passport=reach.passport, basis=Basis.HEALTH_TEAM, section="assessments",
                       object_id=request.pk)
    return request


@transaction.atomic
def do_catch_up(reach: Reach, step: str, on: datetime.date | None = None):
    """The immunisation catch-up asked of the GP, and the GP's confirmation that it is planned
    (docs/clinical-rules.md 3): recorded on the immunisation status, so its history keeps both."""
    from passport.models import ImmunisationStatus
    from passport.records import actions

    reach.require_health_team("immunisations")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("This date is in the future.")]})
    status = (ImmunisationStatus.objects.select_for_update()
              .filter(passport=reach.passport).first())
    if step == "asked":
        changes = {"gp_catch_up_requested_on": on, "gp_catch_up_confirmed_on": None}
        reason = _("Catch-up asked of the GP")
    elif step == "confirmed":
        asked = status.gp_catch_up_requested_on if status else None
        if asked is None:
            raise ValidationError(_("Record that the GP was asked first."))
        if on < asked:
            raise ValidationError({"on": [_("This is before the day it was asked for.")]})
        changes, reason = {"gp_catch_up_confirmed_on": on}, _("The GP confirmed the catch-up")
    else:
        raise ValidationError(_("Choose what to record."))
    if status is None:
        return actions.do_add_entry(reach, ImmunisationStatus, changes)
    return actions.do_amend_entry(reach, status, expected_version=status.version,
                                  reason=str(reason), changes=changes)
