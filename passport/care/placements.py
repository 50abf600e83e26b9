"""Placements and the end of care (docs/architecture.md 3 and 5, docs/access.md): placements
re-confirmed and ended, Staying Put, and the end of care with each outcome's consequences.
Everything that changes on a date is computed when read (policy.py); these actions only record
what happened and when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.access.policy import (
    DORMANT,
    PLACEMENT_CONFIRMATION,
    Basis,
    Reach,
    control_of,
)
from passport.encryption.fields import normalise_text
from passport.models import (
    CareEpisode,
    CareTeamAssignment,
    EpisodeOutcome,
    Grant,
    Passport,
    Placement,
    SocialWorkAssignment,
    User,
)
from passport.records import audit, revisions
from passport.records.actions import sync_end_of_care

STAYING_PUT_UNTIL_AGE = 21
CARE_LEAVER_FROM = 16  # a relevant child leaves care at 16 or 17; everyone leaves at 18


def care_manager_basis(reach: Reach) -> Basis | None:
    """The nurse (health team) or the young person's social worker: they confirm placements
    and record how care ends (docs/access.md). A personal adviser does not."""
    if Basis.HEALTH_TEAM in reach.bases:
        return Basis.HEALTH_TEAM
    if (Basis.SOCIAL_WORK in reach.bases
            and capabilities.manages_care_through_social_work(reach.user)):
        return Basis.SOCIAL_WORK
    return None


def _manages_care(reach: Reach) -> Basis:
    basis = care_manager_basis(reach)
    if basis is None:
        raise PermissionDenied
    return basis


# --- placements ----------------------------------------------------------------------------


def lapses_on(placement: Placement) -> datetime.date:
    """The last day a carer reads without a new confirmation (decision 0011)."""
    return placement.confirmed_on + PLACEMENT_CONFIRMATION


def current_placements(passport: Passport, today: datetime.date | None = None
                       ) -> list[Placement]:
    today = today or timezone.localdate()
    return list(Placement.objects.filter(passport=passport, started_on__lte=today)
                .exclude(ended_on__lte=today).select_related("carer").order_by("started_on"))


def _placement_of(reach: Reach, placement_id) -> Placement:
    placement = Placement.objects.filter(pk=placement_id, passport=reach.passport).first()
    if placement is None:
        raise ValidationError(_("This placement is not on this passport."))
    return placement


@transaction.atomic
def do_confirm_placement(reach: Reach, placement_id) -> Placement:
    """The nurse or social worker confirms the young person still lives with this carer: the
    carer's access runs 6 more months from today (and comes back if it had lapsed)."""
    basis = _manages_care(reach)
    placement = _placement_of(reach, placement_id)
    today = timezone.localdate()
    if placement.ended_on is not None and placement.ended_on <= today:
        raise ValidationError(_("This placement has ended: record a new one instead."))
    Placement.objects.filter(pk=placement.pk).update(confirmed_on=today)
    placement.confirmed_on = today
    audit.record_event(actor=reach.user, action="placement_confirmed", passport=reach.passport,
                       basis=basis, object_id=placement.pk)
    return placement


@transaction.atomic
def do_end_placement(reach: Reach, placement_id, ended_on: datetime.date | None) -> Placement:
    """The carer's access closes on `ended_on` (the day she moves), computed when read."""
    basis = _manages_care(reach)
    placement = _placement_of(reach, placement_id)
    today = timezone.localdate()
    if ended_on is None:
        raise ValidationError({"ended_on": _("Enter the date the placement ends.")})
    if ended_on < placement.started_on:
        raise ValidationError({"ended_on": _("A placement cannot end before it starts.")})
    if ended_on > today + datetime.timedelta(days=90):
        raise ValidationError({"ended_on": _("Record an end at most 3 months ahead.")})
    if placement.ended_on is not None and placement.ended_on <= today:
        raise ValidationError(_("This placement has already ended."))
    Placement.objects.filter(pk=placement.pk).update(ended_on=ended_on)
    placement.ended_on = ended_on
    audit.record_event(actor=reach.user, action="placement_ended", passport=reach.passport,
                       basis=basis, object_id=placement.pk)
    return placement


def staying_put_until(passport: Passport) -> datetime.date | None:
    born = passport.born
    return born + relativedelta(years=STAYING_PUT_UNTIL_AGE) if born else None


@transaction.atomic
def do_staying_put(reach: Reach, placement_id, *, sections_: list[str], wishes: str = "",
                   until: datetime.date | None = None) -> Grant:
    """Staying Put (18 to 21): the former carer keeps what the young person agrees to, as a
    grant of those sections until the 21st birthday at the latest: she (or, while supported,
    her nurse recording her wishes) decides, and can stop it at once like any share."""
    from passport.access import sharing

    if sharing.who_decides(reach) is None:
        raise PermissionDenied
    placement = _placement_of(reach, placement_id)
    if reach.passport.care_outcome != EpisodeOutcome.CARE_LEAVER:
        raise ValidationError(_("Staying Put is agreed as care ends for a care leaver: record "
                                "the end of care first."))
    if placement.ended_on is not None and placement.ended_on <= timezone.localdate():
        raise ValidationError(_("Staying Put is with the carer she lives with as care ends."))
    latest = staying_put_until(reach.passport)
    until = min(until or latest, latest) if latest else until
    current = Grant.objects.filter(passport=reach.passport, grantee=placement.carer,
                                   revoked_at__isnull=True).first()
    if current is not None and (sorted(current.sections), current.until,
                                normalise_text(current.wishes or "")) == (
            sorted(set(sections_)), until, normalise_text(wishes)):
        return current  # agreed as it stands: saving it again changes nothing
    grant = sharing.do_grant(reach, grantee=placement.carer, sections_=sections_, until=until,
                             wishes=wishes)
    audit.record_event(actor=reach.user, action="staying_put_agreed", passport=reach.passport,
                       basis=sharing.who_decides(reach) or "", object_id=placement.pk)
    return grant


# --- when care ends ------------------------------------------------------------------------


OUTCOMES = (EpisodeOutcome.CARE_LEAVER, EpisodeOutcome.HOME, EpisodeOutcome.SGO,
            EpisodeOutcome.ADOPTED)


@transaction.atomic
def do_record_care_ending(reach: Reach, *, ended_on: datetime.date | None, outcome: str,
                          adviser_agreed: bool = False, reason: str = "",
                          sealing_confirmed: bool = False) -> CareEpisode:
    """The nurse or social worker records when care ends and how: the open care episode is
    amended (its history kept), and the consequences follow on that date by themselves."""
    basis = _manages_care(reach)
    errors: dict[str, list[str]] = {}
    if ended_on is None:
        errors["ended_on"] = [_("Enter the date care ends.")]
    elif ended_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["ended_on"] = [_("Record an end at most a year ahead.")]
    if outcome not in OUTCOMES:
        errors["outcome"] = [_("Choose how care ends.")]
    if adviser_agreed and outcome != EpisodeOutcome.CARE_LEAVER:
        errors["adviser_agreed"] = [_("A personal adviser keeps access only for a care "
                                      "leaver.")]
    born = reach.passport.born
    if born is not None and ended_on is not None and outcome in OUTCOMES:
        age = relativedelta(ended_on, born).years
        if outcome == EpisodeOutcome.CARE_LEAVER and age < CARE_LEAVER_FROM:
            errors["outcome"] = [_("A care leaver is 16 or over when care ends: check the "
                                   "date or the outcome.")]
        elif outcome != EpisodeOutcome.CARE_LEAVER and age >= 18:
            errors["outcome"] = [_("At 18, care ends as a care leaver.")]
    if outcome == EpisodeOutcome.ADOPTED and not sealing_confirmed:
        errors["sealing_confirmed"] = [_(
            "Adoption closes the passport to everyone, the young person too, from that date. "
            "Tick the box to confirm.")]
    episode = (CareEpisode.objects.select_for_update()
               .filter(passport=reach.passport, ended_on__isnull=True).first())
    if episode is None:
        errors.setdefault("ended_on", []).append(_(
            "There is no open time in care to end: record the time in care first."))
    elif ended_on is not None and ended_on < episode.started_on:
        errors.setdefault("ended_on", []).append(_("Care cannot end before it starts."))
    if errors:
        raise ValidationError(errors)
    episode = revisions.amend_entry(
        episode, reach.user, episode.version, reason.strip() or "Care ending recorded",
        {"ended_on": ended_on, "outcome": outcome})
    # An adoption is recorded by whoever set it, and sealed only when someone else confirms
    # it (do_confirm_adoption); a changed ending forgets an earlier confirmation.
    sync_end_of_care(reach.passport, reach.user)
    Passport.objects.filter(pk=reach.passport.pk).update(adviser_agreed=adviser_agreed)
    reach.passport.adviser_agreed = adviser_agreed
    audit.record_event(actor=reach.user, action="care_ending_recorded", passport=reach.passport,
                       basis=basis, section="care", object_id=episode.pk)
    return episode


def may_confirm_adoption(reach: Reach) -> bool:
    """Someone other than whoever recorded it: the team lead of her health team, or a social
    worker with her passport."""
    passport, user = reach.passport, reach.user
    if (passport.care_outcome != EpisodeOutcome.ADOPTED or passport.adoption_confirmed_at
            or passport.adoption_recorded_by_id in (None, user.pk)):
        return False
    return ((capabilities.leads_health_team(user) and Basis.HEALTH_TEAM in reach.bases)
            or (capabilities.manages_care_through_social_work(user)
                and Basis.SOCIAL_WORK in reach.bases))


@transaction.atomic
def do_confirm_adoption(reach: Reach) -> None:
    """The second person confirms: the passport is sealed on the day care ends."""
    passport = Passport.objects.select_for_update().get(pk=reach.passport.pk)
    reach.passport.care_outcome = passport.care_outcome
    reach.passport.adoption_recorded_by_id = passport.adoption_recorded_by_id
    reach.passport.adoption_confirmed_at = passport.adoption_confirmed_at
    if not may_confirm_adoption(reach):
        raise PermissionDenied
    now = timezone.now()
    Passport.objects.filter(pk=passport.pk).update(adoption_confirmed_by=reach.user,
                                                   adoption_confirmed_at=now)
    reach.passport.adoption_confirmed_at = now
    audit.record_event(actor=reach.user, action="adoption_confirmed", passport=passport,
                       basis=next(iter(reach.bases & {Basis.HEALTH_TEAM, Basis.SOCIAL_WORK})),
                       section="care")


@transaction.atomic
def do_withdraw_adviser(reach: Reach) -> None:
    """After care, the young person stops her personal adviser seeing her passport."""
    if not reach.is_owner:
        raise PermissionDenied
    Passport.objects.filter(pk=reach.passport.pk).update(adviser_agreed=False)
    reach.passport.adviser_agreed = False
    audit.record_event(actor=reach.user, action="adviser_withdrawn", passport=reach.passport,
                       basis=Basis.OWNER)


@transaction.atomic
def do_back_into_care(actor: User, passport: Passport) -> None:
    """Back into care: the passport reopens as it was (held entries stay held, grants as they
    are), and the old assignments end on the day care ended, so people are reassigned rather
    than let back in by themselves. The nurse then records the new time in care. It is also
    how an admin corrects a care ending recorded in error, adoption included (logged)."""
    if not capabilities.can_reopen_care(actor):
        raise PermissionDenied
    ended = passport.care_ended_on
    if ended is None:
        raise ValidationError(_("This young person is in care."))
    at = timezone.make_aware(datetime.datetime.combine(ended, datetime.time.min))
    CareTeamAssignment.objects.filter(passport=passport, ended_at__isnull=True).update(
        ended_at=at)
    SocialWorkAssignment.objects.filter(passport=passport, ended_at__isnull=True,
                                        worker__role=capabilities.CARE_MANAGING_SOCIAL_ROLE).update(ended_at=at)
    Placement.objects.filter(passport=passport, ended_on__isnull=True).update(ended_on=ended)
    Passport.objects.filter(pk=passport.pk).update(
        care_ended_on=None, care_outcome="", adoption_recorded_by=None,
        adoption_confirmed_by=None, adoption_confirmed_at=None)
    passport.care_ended_on, passport.care_outcome = None, ""
    audit.record_event(actor=actor, action="back_into_care", passport=passport)


@dataclass(frozen=True)
class CareChange:
    """What the young person is told about her care ending, in plain words."""

    ends_on: datetime.date
    ended: bool
    lines: list[str]


def care_change(reach: Reach, today: datetime.date | None = None) -> CareChange | None:
    """For the young person: when her care ends (or ended) and what that changes."""
    passport = reach.passport
    today = today or timezone.localdate()
    if not reach.is_owner or passport.care_ended_on is None:
        return None
    ends, outcome = passport.care_ended_on, passport.care_outcome
    lines = [_("Your health team, carer and social worker will no longer see your passport.")
             if ends > today else
             _("Your health team, carer and social worker can no longer see your passport.")]
    if outcome == EpisodeOutcome.ADOPTED:
        return CareChange(ends, ends <= today, [
            _("Because you are being adopted, your passport will be closed on that day: "
              "nobody, you included, will be able to open it in this app. Your health "
              "records are kept safely. Ask your nurse for a copy of your health history "
              "before then.")])
    if outcome == EpisodeOutcome.CARE_LEAVER:
        lines.insert(0, _("Your passport is yours for good: you decide who sees it."))
        if passport.adviser_agreed:
            lines.append(_("Your personal adviser can still see it, because you agreed. You "
                           "can stop this at any time."))
    elif control_of(passport, max(today, ends)) == DORMANT:
        lines.insert(0, _("Your passport stays yours. Nobody can change who sees it until "
                          "you are 16: then you decide."))
    else:
        lines.insert(0, _("Your passport stays yours, and you decide who sees it. It is never "
                          "given to a parent's account."))
    lines.append(_("People you chose to share with can still see what you shared, until you "
                   "stop it or the date you set."))
    return CareChange(ends, ends <= today, lines)
