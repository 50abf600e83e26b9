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
from passport.models import AssessmentState, BeforeReview, Passport, StaleVersion
from passport.records import actions, audit, revisions, selectors

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
    due = _asked_for(passport, today)
    if due is None:
        return None
    due_on, kind = due
    since = _last_assessed(passport)
    mine = [e for e in visible(reach, BeforeReview.objects.filter(passport=passport)
                               .order_by("-created_at"))
            if since is None or e.created_at > since]
    # Her own draft first: one written with her carer is offered only if she has none.
    draft = next((e for e in mine if not e.sent_on and e.helped_by_id is None),
                 next((e for e in mine if not e.sent_on), None))
    sent = next((e for e in mine if e.sent_on), None)
    return Asking(due_on, kind, due_on <= today, draft, sent)


def _asked_for(passport: Passport, today: datetime.date) -> tuple[datetime.date, str] | None:
    """The review (its date and kind) she is asked about now, if any."""
    due_on, kind = passport.next_assessment_on, passport.next_assessment_kind
    if due_on is None or (kind != "initial" and today < due_on - AHEAD):
        return None
    if kind == "initial" and passport.care_ended_on and passport.care_ended_on <= today:
        return None
    return due_on, kind


def _last_assessed(passport: Passport) -> datetime.datetime | None:
    """When her last assessment was signed off: what she wrote before it has been read."""
    from passport.models import Assessment

    return (Assessment.objects.filter(passport=passport, state=AssessmentState.SIGNED_OFF)
            .order_by("-signed_off_at").values_list("signed_off_at", flat=True).first())


@transaction.atomic
def do_send(reach: Reach, entry: BeforeReview, *, expected_version: int) -> BeforeReview:
    """She sends what she wrote to her health team: from now on they can read it, and it stays
    as it was. Something must be written first."""
    if entry.passport_id != reach.passport.pk:
        raise PermissionDenied
    if Basis.OWNER in reach.bases:
        basis = Basis.OWNER
    else:  # the carer who helped her write it, sitting with her
        helping = helping_now(reach)
        if helping is None or helping.draft is None or helping.draft.pk != entry.pk:
            raise PermissionDenied
        basis = Basis.PLACEMENT
    entry = BeforeReview.objects.select_for_update().get(pk=entry.pk)
    entry.check_amendable()
    if not any(getattr(entry, name) for name in WORDS):
        raise ValidationError(_("Write something first: even one answer helps."))
    entry = revisions.amend_entry(entry, reach.user, expected_version, "Sent to her health team",
                                  {"sent_on": timezone.localdate()})
    audit.record_event(actor=reach.user, action="before_review_sent", passport=reach.passport,
                       basis=basis, section=BeforeReview.SECTION, object_id=entry.pk)
    return entry


# --- a carer helping a young child -----------------------------------------------------------
# A child under 11 may not read or write well, and may have no phone: the carer who looks after
# her (a current placement) can sit with her and write down what she says, from the carer's own
# account. The entry is hers (her words, her passport, private), and says who helped. The carer
# sees only the draft they are writing together; once it is sent it is hers and her health
# team's, and the carer cannot read it again (docs/decisions/0056-a-carer-helps-her-say.md).


@dataclass(frozen=True)
class Helping:
    """What a carer's screen says about helping her: when the review falls due, the draft
    they started with her while they were the last to change it (None if none) and the day
    they last sent one (None if not since her last assessment). Nothing else of hers: not
    what she wrote on her own, nor what she added to their draft herself."""

    due_on: datetime.date
    due_now: bool
    draft: BeforeReview | None
    sent_on: datetime.date | None


def helping_now(reach: Reach, today: datetime.date | None = None) -> Helping | None:
    """Whether this user may help her now: a carer with a current placement of a child under
    11, while she is being asked (within 6 weeks of a review, or before an initial
    assessment while she is in care). Never her health team or anyone else: they do not
    write her words."""
    if (Basis.PLACEMENT not in reach.bases or reach.is_owner or reach.hidden_now
            or not in_a_childs_words(reach)):
        return None  # "hide now" narrows every basis but hers and her health team's
    today = today or timezone.localdate()
    due = _asked_for(reach.passport, today)
    if due is None:
        return None
    since = _last_assessed(reach.passport)
    theirs = BeforeReview.objects.filter(passport=reach.passport, helped_by=reach.user)
    if since is not None:
        theirs = theirs.filter(created_at__gt=since)
    # Only while the carer was the last to change it: once she changes it herself, it is hers
    # alone (what she adds on her own is never shown to the carer).
    draft = (theirs.filter(sent_on__isnull=True, updated_by=reach.user)
             .order_by("-created_at").first())
    sent_on = (theirs.filter(sent_on__isnull=False).order_by("-sent_on")
               .values_list("sent_on", flat=True).first())
    return Helping(due[0], due[0] <= today, draft, sent_on)


def helping_for(user) -> dict:
    """For a carer's home: {passport id: Helping} for each child they may help now."""
    from passport.access.policy import reachable

    found = {}
    for each in reachable(user):
        helping = helping_now(each)
        if helping is not None:
            found[each.passport.pk] = helping
    return found


@transaction.atomic
def do_help_write(reach: Reach, data: dict, *, expected_version: int | None = None
                  ) -> BeforeReview:
    """A carer writes down, with her, what she says: a new draft, or the draft they started
    together (`expected_version` its version). Checked as every write is; always private;
    hers (`added_by_young_person`), written with this carer."""
    helping = helping_now(reach)
    if helping is None:
        raise PermissionDenied
    unknown = set(data) - set(WORDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %(fields)s"),
                              params={"fields": ", ".join(sorted(unknown))})
    draft = helping.draft
    if draft is None:
        fields = actions.checked(reach, BeforeReview, data)
        if not any(fields.get(name) for name in WORDS):
            raise ValidationError(_("Write something first: even one answer helps."))
        entry = revisions.create_entry(BeforeReview, reach.passport, reach.user, fields | {
            "is_private": True, "added_by_young_person": True, "helped_by": reach.user})
        audit.record_event(actor=reach.user, action="entry_added", passport=reach.passport,
                           basis=Basis.PLACEMENT, section=BeforeReview.SECTION,
                           object_id=entry.pk)
        return entry
    draft = BeforeReview.objects.select_for_update().get(pk=draft.pk)
    draft.check_amendable()  # she may have sent it from her own phone meanwhile
    fields = actions.checked(reach, BeforeReview, data, entry=draft)
    changes = {k: v for k, v in fields.items() if getattr(draft, k) != v}
    if not changes:
        if draft.version != expected_version:
            raise StaleVersion(expected_version)
        return draft
    entry = revisions.amend_entry(draft, reach.user, expected_version if expected_version
                                  is not None else -1, "", changes)
    audit.record_event(actor=reach.user, action="entry_amended", passport=reach.passport,
                       basis=Basis.PLACEMENT, section=BeforeReview.SECTION, object_id=entry.pk)
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


def read_by_team(entry_ids: list) -> dict:
    """{entry id: when her health team first read it}, for what she sent (from her "who has
    looked": the reads by anyone in her health team, never her carer's help)."""
    from django.db.models import Min

    from passport.models import AuditEvent

    if not entry_ids:
        return {}
    return dict(AuditEvent.objects.filter(action="before_review_read", basis=Basis.HEALTH_TEAM,
                                          object_id__in=entry_ids)
                .values("object_id").annotate(first=Min("at"))
                .values_list("object_id", "first"))


def in_a_childs_words(reach: Reach) -> bool:
    """Under 11, she is asked in a child's words (and told a grown-up can help)."""
    from passport.records.section_extras import age_of

    age = age_of(reach, timezone.localdate())
    return age is not None and age < 11
