"""Every write: do_<verb>_<noun>, each with its audit row in the same transaction."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport import audit, crypto, keys, nhs, revisions
from passport.models import (
    HEALTH_ROLES,
    CareTeamAssignment,
    Condition,
    ConditionKind,
    Passport,
    Role,
    User,
)
from passport.policy import Action, Basis, Reach

CONDITION_FIELDS = frozenset(Condition.CONTENT_FIELDS) | {"is_private"}


@transaction.atomic
def do_create_passport(
    actor: User,
    *,
    legal_name: str,
    date_of_birth: datetime.date,
    nhs_number: str = "",
    chosen_name: str = "",
    owner: User | None = None,
    passport_id: uuid.UUID | None = None,
) -> Passport:
    if owner is not None and owner.role != Role.YOUNG_PERSON:
        raise ValidationError(_("Only a young person's account can own a passport."))
    with crypto.key_scope():
        passport = Passport(pk=passport_id or uuid.uuid4(), owner=owner,
                            date_of_birth=date_of_birth)
        passport.legal_name = legal_name.strip()
        passport.chosen_name = chosen_name.strip() or None
        if nhs_number:
            digits = nhs.normalise(nhs_number)
            passport.nhs_number = digits
            passport.nhs_number_index = keys.keyring().blind_index("nhs", digits)
        record = keys.create_data_key(passport.pk)
        passport.save(force_insert=True)
        record.save(force_insert=True)
    audit.record_event(actor=actor, action="passport_created", passport=passport)
    return passport


@transaction.atomic
def do_assign_professional(actor: User, passport: Passport, professional: User) -> None:
    if professional.role not in HEALTH_ROLES:
        raise ValidationError(_("Only a nurse, doctor or team lead can join a health team."))
    assignment, created = CareTeamAssignment.objects.get_or_create(
        passport=passport, professional=professional, ended_at__isnull=True,
        defaults={"started_at": timezone.now()},
    )
    if created:
        # Admins' changes to who can see a passport go in the young person's own log.
        audit.record_event(actor=actor, action="assignment_added", passport=passport,
                           object_id=assignment.pk)


def _clean_condition(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - CONDITION_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %(fields)s"),
                              params={"fields": ", ".join(sorted(unknown))})
    if "kind" in data and data["kind"] not in ConditionKind.values:
        raise ValidationError({"kind": _("Choose a condition, an allergy or a medicine.")})
    if "name" in data and not (data["name"] or "").strip():
        raise ValidationError({"name": _("Give it a name.")})
    started, ended = data.get("started_on"), data.get("ended_on")
    if started and ended and ended < started:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}


def _writer(reach: Reach, section: str) -> Basis:
    basis = reach.basis_for(section, Action.WRITE)
    if basis is None:
        raise PermissionDenied
    return basis


@transaction.atomic
def do_add_condition(reach: Reach, data: dict[str, Any]) -> Condition:
    basis = _writer(reach, Condition.SECTION)
    fields = _clean_condition(data)
    if not fields.get("kind") or not fields.get("name"):
        raise ValidationError(_("A condition needs a kind and a name."))
    fields["added_by_young_person"] = basis is Basis.OWNER
    entry = revisions.create_entry(Condition, reach.passport, reach.user, fields)
    audit.record_event(actor=reach.user, action="entry_added", passport=reach.passport,
                       basis=basis, section=Condition.SECTION, object_id=entry.pk)
    return entry


@transaction.atomic
def do_amend_condition(
    reach: Reach, entry: Condition, *, expected_version: int, reason: str,
    changes: dict[str, Any],
) -> Condition:
    basis = _writer(reach, Condition.SECTION)
    if entry.passport_id != reach.passport.pk:
        raise PermissionDenied
    if basis is Basis.OWNER and not entry.added_by_young_person:
        # A young person asks for a correction of a clinical entry; they do not edit it.
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are changing it.")})
    changes = _clean_condition(changes)
    # The whole entry as it would be, checked once (an end date against the kept start date).
    _clean_condition({name: getattr(entry, name) for name in CONDITION_FIELDS} | changes)
    entry = revisions.amend_entry(entry, reach.user, expected_version, reason.strip(), changes)
    audit.record_event(actor=reach.user, action="entry_amended", passport=reach.passport,
                       basis=basis, section=Condition.SECTION, object_id=entry.pk)
    return entry
