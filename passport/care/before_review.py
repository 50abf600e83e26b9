"""Her say before a health review (docs/decisions/0054-her-say-before-a-review.md).

From 6 weeks before a review falls due, and before an initial assessment once she is in care,
her passport asks her what is going well, what worries her, what she wants to talk about, and
where, with whom and whether alone she would like to be seen. She can save and come back: a
draft is hers alone. Sent, it reaches her health team, and only them (it is private); each time
one of them reads it, her "who has looked" says so. It sits beside the nurse's draft
assessment and is never copied into it: an assessment can be shared, this never is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access.policy import Basis, Reach, visible
from passport.models import AssessmentState, BeforeReview, Passport
from passport.records import audit, revisions, selectors

# When she is asked: from this long before a review falls due (the SDQ is asked for then too).
AHEAD = datetime.timedelta(days=42)
WORDS = ("going_well", "worries", "talk_about", "where_to_meet", "who_there", "seen_alone")


@dataclass(frozen=True)
class Asking:
    """What her passport says to her about her next review: when it falls due, and the draft
    she started or the one she sent for it (each None if there is none)."""

    due_on: datetime.date
    kind: str
    due_now: bool  # its date has come (or gone): "due now", never a month that has passed
    draft: BeforeReview | None
    sent: BeforeReview | None


def asking(reach: Reach, today: datetime.date | None = None) -> Asking | None:
    """Whether to ask her now, from her passport's next assessment (a plain derived date):
    within 6 weeks of a review, or any time before an initial assessment while she is in
    care. Only for her own reach."""
    if not reach.is_owner:
        return None
    today = today or timezone.localdate()
    passport: Passport = reach.passport
    due_on, kind = passport.next_assessment_on, passport.next_assessment_kind
    if due_on is None or (kind != "initial" and today < due_on - AHEAD):
        return None
    if kind == "initial" and passport.care_ended_on and passport.care_ended_on <= today:
        return None
    since = _last_assessed(passport)
    mine = [e for e in visible(reach, BeforeReview.objects.filter(passport=passport)
                               .order_by("-created_at"))
            if since is None or e.created_at > since]
    draft = next((e for e in mine if not e.sent_on), None)
    sent = next((e for e in mine if e.sent_on), None)
    return Asking(due_on, kind, due_on <= today, draft, sent)


def _last_assessed(passport: Passport) -> datetime.datetime | None:
    """When her last assessment was signed off: what she wrote before it has been read."""
    from passport.models import Assessment

    return (Assessment.objects.filter(passport=passport, state=AssessmentState.SIGNED_OFF)
            .order_by("-signed_off_at").values_list("signed_off_at", flat=True).first())


@transaction.atomic
def do_send(reach: Reach, entry: BeforeReview, *, expected_version: int) -> BeforeReview:
    """She sends what she wrote to her health team: from now on they can read it, and it stays
    as it was. Something must be written first."""
    if Basis.OWNER not in reach.bases or entry.passport_id != reach.passport.pk:
        raise PermissionDenied
    entry = BeforeReview.objects.select_for_update().get(pk=entry.pk)
    entry.check_amendable()
    if not any(getattr(entry, name) for name in WORDS):
        raise ValidationError(_("Write something first: even one answer helps."))
    entry = revisions.amend_entry(entry, reach.user, expected_version, "Sent to her health team",
                                  {"sent_on": timezone.localdate()})
    audit.record_event(actor=reach.user, action="before_review_sent", passport=reach.passport,
                       basis=Basis.OWNER, section=BeforeReview.SECTION, object_id=entry.pk)
    return entry


def for_health_team(reach: Reach) -> list[BeforeReview]:
    """What she has sent since her last assessment was signed off, newest first, for her
    health team beside the assessment they are writing; each read goes in her "who has
    looked" (a reading of her own words, not only of the section)."""
    if Basis.HEALTH_TEAM not in reach.bases:
        return []
    since = _last_assessed(reach.passport)
    sent = [e for e in visible(reach, BeforeReview.objects.filter(
                passport=reach.passport, sent_on__isnull=False).order_by("-sent_on"))
            if since is None or e.updated_at > since]  # sending was its last change
    selectors.log_her_say(reach, sent)
    return sent


def in_a_childs_words(reach: Reach) -> bool:
    """Under 11, she is asked in a child's words (and told a grown-up can help)."""
    from passport.records.section_extras import age_of

    age = age_of(reach, timezone.localdate())
    return age is not None and age < 11
