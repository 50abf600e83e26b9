"""Break glass, exactly as docs/architecture.md 5 narrows it: for a young person under 18 in care,
one of her own health professionals (or her health team's organisation's named nurse for
safeguarding) opens one section she has not shared, for 24 hours, with a written reason and a
fresh second factor. The Caldicott guardian reviews it the next working day; her "who has
looked" shows it, after up to 7 days where telling her sooner could put her at risk.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passport.access import capabilities
from passport.access.capabilities import HEALTH_ROLES
from passport.access.policy import BREAK_GLASS_UNDER, Basis, _live, _under, reach
from passport.accounts import twofactor
from passport.clinical import nhs
from passport.encryption import keys
from passport.models import BreakGlass, Passport, User
from passport.records import audit, sections

LASTS = datetime.timedelta(hours=24)
MAX_DELAY_DAYS = 7
# Never opened this way: what is hers alone (her notes, her saved services); care episodes
# are not health content.
NOT_OPENABLE = sections.HERS_ALONE | {"care"}


def next_working_day(day: datetime.date) -> datetime.date:
    """The next Monday to Friday after `day` (bank holidays are not known here)."""
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def find_passport(number: str) -> Passport | None:
    """By NHS number through its blind index; None for a number that is not on file."""
    try:
        digits = nhs.normalise(number)
    except ValidationError:
        return None
    index = keys.keyring().blind_index("nhs", digits)
    return _live(timezone.localdate()).filter(nhs_number_index=index).first()


def passport_by_id(passport_id: UUID) -> Passport | None:
    return _live(timezone.localdate()).filter(pk=passport_id).first()


def _eligible(user: User, passport: Passport, today: datetime.date) -> bool:
    if user.role not in HEALTH_ROLES or passport.health_team_id is None:
        return False
    in_care = passport.care_ended_on is None or passport.care_ended_on > today
    own_team = user.team_id is not None and user.team_id == passport.health_team_id
    named = (user.named_safeguarding_nurse and user.organisation_id is not None
             and user.organisation_id == passport.health_team.organisation_id)
    return in_care and (own_team or named) and _under(passport, BREAK_GLASS_UNDER, today)


REFUSED = gettext_lazy("You cannot break glass for this young person.")


def do_break_glass(user: User, passport: Passport | None, *, section: str, reason: str,
                   code: str, delay_days: int = 0, delay_reason: str = "") -> BreakGlass:
    """Refusals change nothing, except that a wrong code counts towards django-otp's wait
    (checked outside the write's transaction, so a refusal cannot roll the count back)."""
    today, now = timezone.localdate(), timezone.now()
    errors: dict[str, list[str]] = {}
    if section not in sections.TITLES or section in NOT_OPENABLE:
        errors["section"] = [_("Choose one section.")]
    if len((reason or "").strip()) < 20:
        errors["reason"] = [_("Write why, in a sentence or two: the Caldicott guardian reviews "
                              "it.")]
    if not 0 <= delay_days <= MAX_DELAY_DAYS:
        errors["delay_days"] = [_("At most 7 days.")]
    elif delay_days and not (delay_reason or "").strip():
        errors["delay_reason"] = [_("Record why telling her sooner could put her at risk.")]
    if errors:
        raise ValidationError(errors)
    # A fresh second factor, checked now and before anything about the young person: a code
    # from her authenticator or a backup code. Each works once, and wrong ones make her wait,
    # so the answer below cannot be asked for over and over.
    if not twofactor.check_fresh_code(user, code):
        raise ValidationError({"code": _("That code is not right. After a few wrong codes "
                                         "you have to wait before trying again.")})
    # The same words whether the number is unknown or she is not someone you may open:
    # break glass never tells anyone that a passport exists.
    if passport is None or not _eligible(user, passport, today):
        raise ValidationError(REFUSED)
    with transaction.atomic():
        return _open(user, passport, section, reason, delay_days, delay_reason, today, now)


def _open(user, passport, section, reason, delay_days, delay_reason, today, now) -> BreakGlass:
    open_now = BreakGlass.objects.select_for_update().filter(
        user=user, passport=passport, expires_at__gt=now).first()
    if open_now is not None:
        raise ValidationError({"section": _(
            "You already have one section open for this young person: one at a time.")})
    current = reach(user, passport.pk, today)
    if current is not None and current.can(section):
        raise ValidationError({"section": _("You can already see this section.")})
    glass = BreakGlass(passport=passport, user=user, section=section, reason=reason.strip(),
                       opened_at=now, expires_at=now + LASTS,
                       show_from=now + datetime.timedelta(days=delay_days),
                       delay_reason=delay_reason.strip() or None,
                       review_due_on=next_working_day(today))
    glass.save(force_insert=True)
    audit.record_event(actor=user, action="break_glass", passport=passport,
                       basis=Basis.BREAK_GLASS, section=section, object_id=glass.pk)
    return glass


def delayed(passport: Passport, now: datetime.datetime | None = None) -> list[BreakGlass]:
    """Break glass not yet shown in her log (a recorded delay of up to 7 days)."""
    now = now or timezone.now()
    return list(BreakGlass.objects.filter(passport=passport, show_from__gt=now)
                .only("id", "user_id", "opened_at", "expires_at"))


# --- the Caldicott guardian's review -------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    glass: BreakGlass
    young_person: str
    overdue: bool


def review_list(user: User) -> list[ReviewRow]:
    """Every unreviewed break glass of the guardian's organisation, the oldest due first.
    Who, when, which section and why: never the content that was read."""
    if not capabilities.can_review_break_glass(user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = (BreakGlass.objects.filter(reviewed_at__isnull=True,
                                      passport__health_team__organisation=user.organisation_id)
            .select_related("user", "passport").order_by("review_due_on", "opened_at"))
    keys.preload([g.passport_id for g in rows])
    return [ReviewRow(g, g.passport.display_name, g.review_due_on < today) for g in rows]


@transaction.atomic
def do_review(user: User, glass_id: UUID, *, note: str) -> None:
    if not capabilities.can_review_break_glass(user):
        raise PermissionDenied
    glass = (BreakGlass.objects.select_for_update()
             .filter(pk=glass_id, reviewed_at__isnull=True,
                     passport__health_team__organisation=user.organisation_id).first())
    if glass is None:
        raise ValidationError(_("This has been reviewed already, or is not yours to review."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Record your review.")})
    glass.reviewed_by, glass.reviewed_at, glass.review_note = user, timezone.now(), note.strip()
    glass.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit.record_event(actor=user, action="break_glass_reviewed", passport=glass.passport_id,
                       object_id=glass.pk)
