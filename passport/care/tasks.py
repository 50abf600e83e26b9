"""The health team's task list: health assessments due within 30 days and SDQs to ask for
before a review (from the derived dates), placements to re-confirm, holds to review and
releases to plan, break glass on their young people, "hide now" turned on; for a social
worker, the placements. Worked out when read, for a whole caseload in a few queries.
`send_reminders` emails what is due; the email carries no names and no health content."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passport.access import capabilities
from passport.access.held_back import (
    PLAN_RELEASE_BEFORE_CARE_ENDS,
    care_due_to_end,
    former_team_holds,
)
from passport.access.policy import Basis, reachable
from passport.care.placements import lapses_on
from passport.encryption import keys
from passport.models import (
    Assessment,
    AssessmentState,
    BreakGlass,
    HeldBack,
    Placement,
    ReminderSent,
    User,
)

logger = logging.getLogger(__name__)
SOON = datetime.timedelta(days=30)
BREAK_GLASS_SHOWN_FOR = datetime.timedelta(days=14)
REMIND_AHEAD = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Task:
    key: str  # stable: what `send_reminders` remembers
    passport_id: UUID
    young_person: str
    what: str
    due_on: datetime.date
    url: str

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def tasks_for(user: User, today: datetime.date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    found = reachable(user, today)
    team = {r.passport.pk: r.passport for r in found if Basis.HEALTH_TEAM in r.bases}
    social = {r.passport.pk: r.passport for r in found if Basis.SOCIAL_WORK in r.bases
              and capabilities.manages_care_through_social_work(user)}
    after_care = former_team_holds(user, today)
    keys.preload(list(team | social) + [h.passport_id for h in after_care])
    tasks: list[Task] = []

    def add(kind: str, object_id, passport, what: str, due: datetime.date, url: str) -> None:
        tasks.append(Task(f"{kind}:{object_id}:{due.isoformat()}", passport.pk,
                          passport.display_name, what, due, url))

    confirmers = team | social
    for placement in (Placement.objects.filter(passport__in=list(confirmers),
                                               started_on__lte=today)
                      .exclude(ended_on__lte=today).select_related("carer")):
        due = lapses_on(placement)
        if due - SOON <= today:
            add("placement", placement.pk, confirmers[placement.passport_id],
                _("Confirm they still live with %(carer)s") % {"carer": placement.carer},
                due, reverse("placements", args=[placement.passport_id]))
    for hold in HeldBack.objects.filter(passport__in=list(team), released_at__isnull=True):
        passport = team[hold.passport_id]
        url = reverse("entry-hold", args=[passport.pk, hold.section, hold.entry_type,
                                          hold.entry_id])
        if hold.review_due_on - SOON <= today:
            add("hold-review", hold.pk, passport, _("Review an entry held back"),
                hold.review_due_on, url)
        ends = care_due_to_end(passport)
        if ends is not None and ends - PLAN_RELEASE_BEFORE_CARE_ENDS - SOON <= today:
            add("hold-release", hold.pk, passport, _("Plan releasing an entry held back, "
                                                     "before care ends"),
                ends - PLAN_RELEASE_BEFORE_CARE_ENDS, url)
    for hold in after_care:  # care has ended: still theirs to release
        passport = hold.passport
        url = reverse("hold-after-care", args=[hold.pk])
        add("hold-review", hold.pk, passport, _("Review an entry held back"),
            hold.review_due_on, url)
        add("hold-release", hold.pk, passport,
            _("Care has ended: plan releasing an entry held back"),
            passport.care_ended_on, url)
    since = timezone.now() - BREAK_GLASS_SHOWN_FOR
    for glass in (BreakGlass.objects.filter(passport__in=list(team), opened_at__gte=since)
                  .exclude(user=user).select_related("user")):
        add("break-glass", glass.pk, team[glass.passport_id],
            _("%(who)s used break glass: check the young person is safe") % {
                "who": glass.user}, glass.opened_at.date(), reverse("passport",
                                                                     args=[glass.passport_id]))
    started = _assessments_started(list(team))
    for passport in team.values():
        # Her next assessment and the day to ask for an SDQ, as the derived dates keep them
        # (passport/records/derived.py): nothing of her record is decrypted for them.
        due_on = passport.next_assessment_on
        if (due_on and due_on - SOON <= today
                and (passport.care_ended_on is None or passport.care_ended_on > today)):
            kind = passport.next_assessment_kind
            state, found = started.get(passport.pk, (None, None))
            initial = kind == "initial"
            if state == AssessmentState.SUBMITTED:
                what = (_("Initial health assessment due. One is waiting for sign-off.")
                        if initial else
                        _("Review health assessment due. One is waiting for sign-off."))
            elif found:
                what = (_("Initial health assessment due. A draft is started.") if initial
                        else _("Review health assessment due. A draft is started."))
            else:
                what = (_("Initial health assessment due") if initial
                        else _("Review health assessment due"))
            # Carry on with the one started (never a second), else the form with its kind.
            url = (reverse("assessment", args=[passport.pk, found]) if found else
                   reverse("section", args=[passport.pk, "assessments"]) + f"?add={kind}#add")
            add(f"assessment-{kind}", passport.pk, passport, what, due_on, url)
            ask_from = passport.sdq_ask_from
            age = _age(passport, today)
            if ask_from and ask_from <= today and age is not None and 4 <= age <= 16:
                # Due by the review it is for (asked from 6 weeks before it); from 11 she
                # fills in her own as well (docs/clinical-rules.md 2).
                add("sdq", passport.pk, passport, _(
                    "Ask for an SDQ: their own, and their carer's") if age >= 11 else _(
                    "Ask the carer for an SDQ"), due_on,
                    reverse("section", args=[passport.pk, "wellbeing"]))
        if passport.hidden_now_since is not None:
            add("hide-now", passport.pk, passport,
                _("Turned on \"hide now\": check they are safe"),
                passport.hidden_now_since.date(), reverse("passport", args=[passport.pk]))
    return sorted(tasks, key=lambda t: (t.due_on, t.young_person))


def _age(passport, today: datetime.date) -> int | None:
    from dateutil.relativedelta import relativedelta

    born = passport.born
    return relativedelta(today, born).years if born is not None else None


def _assessments_started(ids: list[UUID]) -> dict[UUID, tuple[str, UUID]]:
    """Per passport, the assessment already under way, by its plain state only: one waiting
    for sign-off, else one returned to the nurse, else the latest draft."""
    rank = {AssessmentState.SUBMITTED: 3, AssessmentState.RETURNED: 2, AssessmentState.DRAFT: 1}
    found: dict[UUID, tuple] = {}
    for a in Assessment.objects.filter(passport__in=ids, state__in=list(rank)).only(
            "id", "passport_id", "state", "updated_at"):
        key = (rank[a.state], a.updated_at)
        if a.passport_id not in found or key > found[a.passport_id][0]:
            found[a.passport_id] = (key, a.state, a.pk)
    return {pk: (state, assessment) for pk, (_key, state, assessment) in found.items()}


def guardian_tasks(user: User) -> int:
    """How many break glass uses wait for this Caldicott guardian's review."""
    if not capabilities.can_review_break_glass(user):
        return 0
    return BreakGlass.objects.filter(
        reviewed_at__isnull=True, passport__health_team__organisation=user.organisation_id,
        review_due_on__lte=timezone.localdate()).count()


def send_reminders(today: datetime.date | None = None) -> int:
    """One email per person with something new that is due within a week. The message says
    only how many things wait, and where to sign in: no names, no health content."""
    today = today or timezone.localdate()
    sent = 0
    users = User.objects.filter(is_active=True, role__in=capabilities.REMINDED).exclude(email="")
    for user in users:
        if capabilities.is_caldicott_guardian(user):
            waiting = guardian_tasks(user)
            keys_ = [f"reviews:{today.isoformat()}"] if waiting else []
            url = reverse("break-glass-reviews")
        else:
            due = [t for t in tasks_for(user, today) if t.due_on - REMIND_AHEAD <= today]
            waiting, keys_, url = len(due), [t.key for t in due], reverse("tasks")
        claimed = _claim(user, keys_) if waiting else []
        if not claimed:
            continue
        try:
            send_mail(
                _("My Health: things to do"),
                ngettext("You have %(count)d thing to do in My Health.",
                         "You have %(count)d things to do in My Health.", waiting)
                % {"count": waiting} + "\n\n" + _("Sign in to see it: %(url)s") % {
                    "url": settings.HP_SITE_URL + url},
                None, [user.email])
        except Exception:
            # Not sent: forget the claim, so the next run tries again. The account id only.
            ReminderSent.objects.filter(user=user, key__in=claimed).delete()
            logger.exception("reminder email to user %s failed", user.pk)
            continue
        sent += 1
    return sent


def _claim(user: User, task_keys: list[str]) -> list[str]:
    """Record the keys not yet reminded, and return them. Two cron runs at once send each
    reminder once: the unique constraint decides."""
    new = []
    now = timezone.now()
    for key in task_keys:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, key=key[:200], sent_at=now)
        except IntegrityError:
            continue
        new.append(key[:200])
    return new
