"""A health professional's caseload: each young person with her age, placement type
and when her next health assessment is due, sorted by what needs doing first. Worked out for
the whole list in a fixed number of queries, however long the caseload is."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passport.access import capabilities
from passport.access.policy import Basis, reachable
from passport.care import before_review
from passport.care.placements import lapses_on
from passport.care.tasks import BREAK_GLASS_SHOWN_FOR, SOON
from passport.clinical import assessment_due
from passport.encryption import keys
from passport.models import (
    HOLDABLE_SECTIONS,
    Assessment,
    AssessmentState,
    BeforeReview,
    BreakGlass,
    CareEpisode,
    CareTeamAssignment,
    ContributionRequest,
    CorrectionRequest,
    ImmunisationStatus,
    Placement,
    PlacementType,
    UnknownItem,
    UnknownStatus,
    User,
)
from passport.records import audit, derived, sections

# As on the task list: a break glass shows for 14 days; a placement 30 days before it lapses.
GLASS_SHOWN_FOR, RECONFIRM_AHEAD = BREAK_GLASS_SHOWN_FOR, SOON


@dataclass(frozen=True)
class Row:
    passport_id: UUID
    name: str
    age: int | None
    placement: str
    due: assessment_due.Due | None
    actions_late_since: datetime.date | None  # the earliest open plan action past its date
    corrections: int
    vaccines_due: bool = False  # a vaccine looks due by the schedule
    sdq_to_request: bool = False
    contributions_awaited: int = 0
    history_asked: int = 0  # birth and family history items asked for, not yet found
    catch_up_awaited: bool = False  # a catch-up asked of the GP, not yet confirmed
    drafts: int = 0  # assessments still drafts
    returned: int = 0  # assessments returned by quality assurance
    nurses: str = ""  # for the team lead: who the young person's nurses are
    submitted: int = 0  # assessments waiting for sign-off
    hidden_now: bool = False  # she turned "hide now" on: a possible safety issue
    glass_by_others: tuple[str, ...] = ()  # sections someone else opened by break glass lately
    reconfirm_by: datetime.date | None = None  # a placement lapses soon without confirmation
    # The assessment she is working on (returned to her, else a draft): where a need for an
    # assessment opens, so that nobody starts a second one.
    open_assessment: UUID | None = None
    waiting_assessment: UUID | None = None  # one waiting for sign-off: no second one started
    # She sent her say before a review (the day), and no assessment was signed off since.
    her_say_since: datetime.date | None = None
    her_say_unread: bool = False  # ...and nobody in her health team has read it yet

    @property
    def urgency(self) -> tuple:
        """Overdue first (oldest first), then by due date; nothing due last."""
        if self.due is None:
            return (2, datetime.date.max, self.name)
        return (0 if self.due.overdue else 1, self.due.due_on, self.name)


def caseload(user: User, today: datetime.date | None = None) -> list[Row]:
    if not capabilities.is_health_professional(user):
        return []
    today = today or timezone.localdate()
    reaches = [r for r in reachable(user, today) if Basis.HEALTH_TEAM in r.bases]
    ids = [r.passport.pk for r in reaches]
    keys.preload(ids)
    episodes: dict[UUID, list[CareEpisode]] = {}
    for episode in CareEpisode.objects.filter(passport__in=ids).order_by("started_on"):
        episodes.setdefault(episode.passport_id, []).append(episode)
    drafts: Counter = Counter()
    returned: Counter = Counter()
    # Only the columns the caseload reads: the words of assessments and plan actions are
    # neither fetched nor decrypted (about 600 entries for a caseload of 50).
    submitted: Counter = Counter()
    working_on: dict[UUID, tuple] = {}
    waiting_on: dict[UUID, UUID] = {}
    # Plain columns only: when the next one is due is kept on the passport (derived dates).
    signed: dict[UUID, datetime.datetime] = {}
    for a in Assessment.objects.filter(passport__in=ids).only(
            "id", "passport_id", "state", "updated_at", "signed_off_at"):
        if a.state == AssessmentState.SIGNED_OFF and a.signed_off_at:
            signed[a.passport_id] = max(a.signed_off_at,
                                        signed.get(a.passport_id, a.signed_off_at))
        if a.state == AssessmentState.SUBMITTED:
            waiting_on[a.passport_id] = a.pk
        if a.state in (AssessmentState.RETURNED, AssessmentState.DRAFT):
            # Returned first (it is waiting on her), then the latest saved.
            rank = (a.state == AssessmentState.RETURNED, a.updated_at)
            if a.passport_id not in working_on or rank > working_on[a.passport_id][0]:
                working_on[a.passport_id] = (rank, a.pk)
        drafts[a.passport_id] += a.state == AssessmentState.DRAFT
        returned[a.passport_id] += a.state == AssessmentState.RETURNED
        submitted[a.passport_id] += a.state == AssessmentState.SUBMITTED
    awaited = Counter(ContributionRequest.objects.filter(passport__in=ids,
                                                         received_on__isnull=True)
                      .values_list("passport_id", flat=True))
    history_asked = Counter(item.passport_id for item in UnknownItem.objects.filter(
        passport__in=ids, section__in=HOLDABLE_SECTIONS) if item.status == UnknownStatus.ASKED)
    nurses: dict[UUID, list[str]] = {}
    if capabilities.sees_caseload_nurses(user):
        for passport_id, name in (CareTeamAssignment.objects.filter(
                passport__in=ids, ended_at__isnull=True).order_by("professional__display_name")
                .values_list("passport_id", "professional__display_name")):
            nurses.setdefault(passport_id, []).append(name)
    statuses = {s.passport_id: s for s in ImmunisationStatus.objects.filter(passport__in=ids)}
    asked: dict[UUID, int] = {}
    for request in CorrectionRequest.objects.filter(passport__in=ids,
                                                    dealt_with_at__isnull=True).only(
            "id", "passport_id"):
        asked[request.passport_id] = asked.get(request.passport_id, 0) + 1
    glass: dict[UUID, list[str]] = {}
    for passport_id, section in (BreakGlass.objects.filter(
            passport__in=ids, opened_at__gte=timezone.now() - GLASS_SHOWN_FOR)
            .exclude(user=user).order_by("opened_at").values_list("passport_id", "section")):
        glass.setdefault(passport_id, []).append(section)
    reconfirm: dict[UUID, datetime.date] = {}
    for placement in Placement.objects.filter(passport__in=ids, started_on__lte=today).exclude(
            ended_on__lte=today).only("id", "passport_id", "confirmed_on"):
        lapses = lapses_on(placement)
        if lapses - RECONFIRM_AHEAD <= today:
            reconfirm[placement.passport_id] = min(lapses, reconfirm.get(
                placement.passport_id, lapses))
    # Her say before a review waits from the day she sent it until an assessment is signed
    # off (a plain date: what she wrote is not read here).
    her_say: dict[UUID, datetime.date] = {}
    waiting_words: dict[UUID, set] = {}
    for pk, passport_id, sent_on, sent_at in BeforeReview.objects.filter(
            passport__in=ids, sent_on__isnull=False).values_list(
            "pk", "passport_id", "sent_on", "updated_at"):  # sending is its last change
        if passport_id not in signed or sent_at > signed[passport_id]:
            her_say[passport_id] = min(sent_on, her_say.get(passport_id, sent_on))
            waiting_words.setdefault(passport_id, set()).add(pk)
    read = before_review.read_by_team([pk for pks in waiting_words.values() for pk in pks])
    unread = {passport_id for passport_id, pks in waiting_words.items() if pks - set(read)}
    rows = []
    for found in reaches:
        passport = found.passport
        born = passport.date_of_birth
        current = (episodes.get(passport.pk) or [None])[-1]
        placement = current.placement_type if current else ""
        due = derived_due(passport, today)
        status = statuses.get(passport.pk)
        # Plan actions and vaccines from the derived dates too: whether any is late (and
        # since when) or looks due (decision 0050: counts would need a write every day).
        late = passport.plan_late_from
        # Ask the carer for an SDQ 4 to 6 weeks before a review, unless one came since the
        # last assessment (docs/clinical-rules.md 2; ages 4 to 16): from the derived day.
        age = relativedelta(today, born).years if born else None
        ask_from = passport.sdq_ask_from
        sdq_due = bool(due and ask_from and ask_from <= today and age is not None
                       and 4 <= age <= 16)
        rows.append(Row(passport.pk, passport.display_name, age,
                        str(PlacementType(placement).label) if placement in PlacementType.values
                        else "", due, late if late and late < today else None,
                        asked.get(passport.pk, 0),
                        passport.vaccine_due_on is not None, sdq_due,
                        awaited[passport.pk], history_asked[passport.pk],
                        bool(status and status.gp_catch_up_requested_on
                             and not status.gp_catch_up_confirmed_on),
                        drafts[passport.pk], returned[passport.pk],
                        ", ".join(nurses.get(passport.pk, [])), submitted[passport.pk],
                        passport.hidden_now_since is not None,
                        tuple(glass.get(passport.pk, ())), reconfirm.get(passport.pk),
                        working_on.get(passport.pk, (None, None))[1],
                        waiting_on.get(passport.pk), her_say.get(passport.pk),
                        passport.pk in unread))
    audit.record_event(actor=user, action="list_viewed")  # a list: logged once
    return sorted(rows, key=lambda r: r.urgency)


def derived_due(passport, today: datetime.date) -> assessment_due.Due | None:
    """Her next assessment as the derived dates keep it (passport/records/derived.py), read
    without decrypting her record: none once care has ended."""
    on = passport.next_assessment_on
    if on is None or (passport.care_ended_on is not None and passport.care_ended_on <= today):
        return None
    return assessment_due.Due(passport.next_assessment_kind, on, today > on,
                              derived.WHY_WORDS.get(passport.next_assessment_why, ""))


@dataclass(frozen=True)
class Need:
    """One thing on the "needs you now" list: whose, what, where to go."""

    order: int
    row: Row
    what: str
    page: str  # where it is dealt with: "assessments", "placements" or her passport ("")
    kind: str = ""  # an overdue assessment: the kind to add, chosen on the form it opens

    @property
    def url(self) -> str:
        pk = self.row.passport_id
        found = self.row.open_assessment or self.row.waiting_assessment
        if self.page == "assessments" and found:  # carry on with it, or sign it off
            return reverse("assessment", args=[pk, found])
        if self.page == "placements":
            return reverse("placements", args=[pk])
        if self.page and self.kind:  # straight to the form, with the kind chosen
            return reverse("section", args=[pk, self.page]) + f"?add={self.kind}#add"
        if self.page:
            return reverse("section", args=[pk, self.page])
        return reverse("passport", args=[pk])


# In this order (the issue of the nurse's day): her safety first, then work sent back to her,
# then duties past their date, then what lapses soon, then what she was asked for.
SAFETY, RETURNED, INITIAL_OVERDUE, REVIEW_OVERDUE, RECONFIRM, CORRECTIONS = range(6)


def needs_now(rows: list[Row]) -> list[Need]:
    """What needs the professional now, across her caseload, most urgent first; everything
    else stays in the caseload's table below it."""
    found = []
    for row in rows:
        if row.hidden_now:
            found.append(Need(SAFETY, row, _(
                "Turned on “hide now”: check they are safe, and ask what they need."), ""))
        for section in row.glass_by_others:
            found.append(Need(SAFETY, row, _(
                "Someone outside their health team used break glass to read %(section)s.") % {
                "section": sections.TITLES.get(section, section)}, ""))
        if row.returned:
            found.append(Need(RETURNED, row, ngettext(
                "%(n)d assessment returned with comments: change it and submit it again.",
                "%(n)d assessments returned with comments: change them and submit them again.",
                row.returned) % {"n": row.returned}, "assessments"))
        if row.due and row.due.overdue:
            kind = INITIAL_OVERDUE if row.due.kind == "initial" else REVIEW_OVERDUE
            words = (_("Initial health assessment overdue since %(date)s.") if kind ==
                     INITIAL_OVERDUE else _("Review health assessment overdue since %(date)s."))
            if row.submitted:
                words += " " + _("One is waiting for sign-off.")
            elif row.open_assessment and not row.returned:
                words += " " + _("A draft is started.")
            found.append(Need(kind, row, words % {"date": _long(row.due.due_on)},
                              "assessments", row.due.kind))
        if row.reconfirm_by:
            found.append(Need(RECONFIRM, row, _(
                "Confirm where they live by %(date)s, or their carer's access lapses.") % {
                "date": _long(row.reconfirm_by)}, "placements"))
        if row.corrections:
            found.append(Need(CORRECTIONS, row, ngettext(
                "They asked for %(n)d correction.", "They asked for %(n)d corrections.",
                row.corrections) % {"n": row.corrections}, ""))
    return sorted(found, key=lambda need: (need.order, need.row.urgency))


def _long(day: datetime.date) -> str:
    return date_format(day, "j F Y")
