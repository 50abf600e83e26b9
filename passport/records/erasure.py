"""Erasure: after the retention period (or on a legal ruling), authorised by two people.

Destroys the passport's data keys and blind-index entries, and appends to the erasure ledger
kept beside the keyring, so that a backup restored later is erased again before it serves.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.encryption import keys
from passport.models import Passport, User
from passport.records import audit, derived


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_ends(
    date_of_birth: datetime.date, care_ended_on: datetime.date | None
) -> datetime.date:
    """NHS children's records: to the 25th birthday, or the 26th if 17 when care ended.

    Until care episodes record the end of care, a passport whose end of care is unknown is
    kept to the later date (decision 0005).
    """
    if care_ended_on is None:
        return _add_years(date_of_birth, 26)
    seventeen, eighteen = _add_years(date_of_birth, 17), _add_years(date_of_birth, 18)
    if seventeen <= care_ended_on < eighteen:
        return _add_years(date_of_birth, 26)
    return _add_years(date_of_birth, 25)


def past_retention(today: datetime.date | None = None) -> list[tuple[Passport, datetime.date]]:
    """Passports not yet erased whose retention period has ended, oldest end first: for the
    controller to decide on (nothing is erased by itself; decision 0021). A passport with no
    recorded date of birth is listed too, with no date, for someone to look at."""
    today = today or timezone.localdate()
    due = []
    for passport in Passport.objects.filter(erased_at__isnull=True).order_by("created_at"):
        born = passport.born
        keys.forget(passport.pk)  # a national run holds one key at a time
        ends = retention_ends(born, passport.care_ended_on) if born else None
        if ends is None or ends <= today:
            due.append((passport, ends))
    return sorted(due, key=lambda pair: pair[1] or datetime.date.min)


def _check_authorisers(authorisers: list[User]) -> None:
    if len({u.pk for u in authorisers}) < 2:
        raise ValidationError(_("Erasure needs two different people to authorise it."))
    for user in authorisers:
        if not capabilities.can_authorise_erasure(user):
            raise ValidationError(
                _("Only a Caldicott guardian or a team lead can authorise erasure.")
            )
    if not any(capabilities.is_caldicott_guardian(u) for u in authorisers):
        raise ValidationError(_("One of the two must be the Caldicott guardian."))


@transaction.atomic
def do_erase_passport(
    passport: Passport, *, authorisers: list[User], reason: str, ruling: str = "",
    today: datetime.date | None = None,
) -> None:
    today = today or timezone.localdate()
    _check_authorisers(authorisers)
    if not reason.strip():
        raise ValidationError(_("Give the reason for erasure."))
    if passport.erased_at is not None:
        raise ValidationError(_("This passport has already been erased."))
    if passport.legal_hold:
        raise ValidationError(_("A legal hold is set: it must be lifted before erasure."))
    born = passport.born
    if born is None and not ruling.strip():
        raise ValidationError(_("The date of birth is not known, so the retention period "
                                "cannot be worked out. Record the legal ruling to erase."))
    ends = retention_ends(born, passport.care_ended_on) if born else today
    if today < ends and not ruling.strip():
        raise ValidationError(
            _("The retention period runs until %(date)s. Record the legal ruling to erase "
              "earlier."), params={"date": ends.isoformat()},
        )
    _shred(passport)
    keys.erasure_ledger().append({
        "passport": str(passport.pk), "erased_at": timezone.now().isoformat(),
        "authorised_by": sorted(str(u.pk) for u in authorisers), "reason": reason.strip(),
        "ruling": ruling.strip(),
    })
    for user in authorisers:
        audit.record_event(actor=user, action="passport_erased", passport=passport)


def _shred(passport: Passport) -> int:
    destroyed = keys.destroy_data_keys(passport.pk)
    Passport.objects.filter(pk=passport.pk).update(
        nhs_number_index=None, erased_at=timezone.now()
    )
    passport.erased_at = timezone.now()
    derived.forget(passport.pk)
    return destroyed


@transaction.atomic
def apply_ledger() -> tuple[int, int]:
    """Re-apply every ledger entry (after a restore): (passports shredded again, in ledger)."""
    erased = keys.erasure_ledger().erased_ids()
    redone = 0
    for passport in Passport.objects.filter(pk__in=list(erased)):
        if passport.data_keys.filter(wrapped__isnull=False).exists() or passport.erased_at is None:
            _shred(passport)
            redone += 1
        else:
            derived.forget(passport.pk)  # a backup from before this forgot derived dates
    return redone, len(erased)


def ledger_applied() -> bool:
    erased = list(keys.erasure_ledger().erased_ids())
    return not Passport.objects.filter(pk__in=erased, data_keys__wrapped__isnull=False).exists()
