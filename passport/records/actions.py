"""Every write: do_<verb>_<noun>, each with its audit row in the same transaction."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities, held_back
from passport.access.policy import Action, Basis, Reach, may_amend
from passport.clinical import growth, nhs
from passport.encryption import keys
from passport.encryption.fields import EncryptedField, clean_value, normalise_text
from passport.models import (
    Assessment,
    CareEpisode,
    CareTeamAssignment,
    Entry,
    EpisodeOutcome,
    HealthTeam,
    IdentityChange,
    Passport,
    Sex,
    StaleVersion,
    UnknownItem,
    User,
)
from passport.records import audit, derived, revisions, sections

# --- the passport itself -------------------------------------------------------------------


def _check_date_of_birth(born: datetime.date) -> datetime.date:
    if not isinstance(born, datetime.date) or isinstance(born, datetime.datetime):
        raise ValidationError({"date_of_birth": _("Enter a date of birth.")})
    if born > timezone.localdate():
        raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})
    if born < timezone.localdate() - datetime.timedelta(days=30 * 366):
        raise ValidationError({"date_of_birth": _("The date of birth is more than 30 years "
                                                   "ago: check the year.")})
    return born


def _normalise_nhs(number: str) -> str:
    try:
        return nhs.normalise(number)
    except ValidationError as error:
        raise ValidationError({"nhs_number": error.messages}) from None


def nhs_index_for(number: str) -> tuple[str, str]:
    """(digits, blind index) for a new NHS number, refused if another passport has it.
    Forms call it too, to show the problem before anything is saved."""
    digits = _normalise_nhs(number)
    index = keys.keyring().blind_index("nhs", digits)
    if Passport.objects.filter(nhs_number_index=index).exists():
        # Neutral words: whoever typed it may not see that other record.
        raise ValidationError({"nhs_number": _(
            "This NHS number cannot be used here. Check the digits; if they are right, ask "
            "your team lead.")})
    return digits, index


@transaction.atomic
def do_create_passport(
    actor: User,
    *,
    legal_name: str,
    date_of_birth: datetime.date,
    nhs_number: str = "",
    chosen_name: str = "",
    owner: User | None = None,
    health_team: HealthTeam | None = None,
    passport_id: uuid.UUID | None = None,
) -> Passport:
    if owner is not None and not capabilities.can_own_passport(owner):
        raise ValidationError({"owner": _("Only a young person's account can own a passport.")})
    if not legal_name.strip():
        raise ValidationError({"legal_name": _("Enter the young person's legal name.")})
    _check_date_of_birth(date_of_birth)
    passport = Passport(pk=passport_id or uuid.uuid4(), owner=owner,
                        date_of_birth=date_of_birth, health_team=health_team)
    passport.legal_name = legal_name.strip()
    passport.chosen_name = chosen_name.strip() or None
    if nhs_number:
        passport.nhs_number, passport.nhs_number_index = nhs_index_for(nhs_number)
    record = keys.create_data_key(passport.pk)
    passport.save(force_insert=True)
    record.save(force_insert=True)
    derived.refresh(passport)  # vaccines due from her date of birth, before any entry
    audit.record_event(actor=actor, action="passport_created", passport=passport)
    return passport


def _keep(reach: Reach, passport: Passport, field: str, previous: Any, new: Any,
          reason: str) -> None:
    def as_text(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else value

    IdentityChange(passport=passport, field=field, previous=as_text(previous),
                   new=as_text(new), reason=reason or None, changed_by=reach.user,
                   changed_at=timezone.now()).save(force_insert=True)


@transaction.atomic
def do_change_date_of_birth(reach: Reach, new: datetime.date, reason: str) -> bool:
    """An age assessment, or a corrected record: the old date is kept with who and why.
    False if it is the date it already has (nothing is kept or logged)."""
    basis = _writer(reach, "about_me")
    if basis is not Basis.HEALTH_TEAM:
        raise PermissionDenied
    _check_date_of_birth(new)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the date of birth is changing.")})
    passport = Passport.objects.select_for_update().get(pk=reach.passport.pk)
    if passport.date_of_birth == new:
        return False
    _keep(reach, passport, "date_of_birth", passport.date_of_birth, new, reason.strip())
    passport.date_of_birth = new
    passport.save(update_fields=["date_of_birth"])
    derived.refresh(passport)  # every date counts from her birthday
    audit.record_event(actor=reach.user, action="date_of_birth_changed", passport=passport,
                       basis=basis, section="about_me")
    return True


@transaction.atomic
def do_update_identity(reach: Reach, *, legal_name: str | None = None,
                       chosen_name: str | None = None, nhs_number: str | None = None,
                       sex: str | None = None, reason: str = "") -> None:
    """Identity facts: the health team records legal name and NHS number; the young person
    and the health team the name she wants to be called (docs/access.md, about_me). Every
    change keeps the value it replaces."""
    basis = _writer(reach, "about_me")
    if basis is Basis.OWNER and (legal_name is not None or nhs_number is not None
                                 or sex is not None):
        raise PermissionDenied
    passport = Passport.objects.select_for_update().get(pk=reach.passport.pk)
    wanted: dict[str, Any] = {}
    if legal_name is not None:
        if not legal_name.strip():
            raise ValidationError({"legal_name": _("Enter the young person's legal name.")})
        wanted["legal_name"] = legal_name.strip()
    if chosen_name is not None:
        wanted["chosen_name"] = chosen_name.strip() or None
    if nhs_number is not None:
        wanted["nhs_number"] = _normalise_nhs(nhs_number) if nhs_number.strip() else None
    if sex is not None:
        if basis is not Basis.HEALTH_TEAM:
            raise PermissionDenied
        if sex and sex not in Sex.values:
            raise ValidationError({"sex": _("Choose female, male or not recorded.")})
        wanted["sex"] = sex or None
    changed = [name for name, value in wanted.items() if getattr(passport, name) != value]
    for name in changed:
        _keep(reach, passport, name, getattr(passport, name), wanted[name], reason.strip())
        setattr(passport, name, wanted[name])
    if "nhs_number" in changed:
        passport.nhs_number_index = (nhs_index_for(wanted["nhs_number"])[1]
                                     if wanted["nhs_number"] else None)
        changed.append("nhs_number_index")
    if changed:
        passport.save(update_fields=changed)
        if "sex" in changed:
            derived.refresh(passport)  # the schedule offers some vaccines by sex
        audit.record_event(actor=reach.user, action="identity_changed", passport=passport,
                           basis=basis, section="about_me")


@transaction.atomic
def do_assign_professional(actor: User, passport: Passport, professional: User) -> None:
    if not capabilities.is_health_professional(professional):
        raise ValidationError(_("Only a nurse, doctor or team lead can join a health team."))
    assignment, created = CareTeamAssignment.objects.get_or_create(
        passport=passport, professional=professional, ended_at__isnull=True,
        defaults={"started_at": timezone.now()},
    )
    if created:
        # Admins' changes to who can see a passport go in the young person's own log.
        audit.record_event(actor=actor, action="assignment_added", passport=passport,
                           object_id=assignment.pk)


@transaction.atomic
def do_update_passport_settings(actor: User, passport: Passport, changes: dict[str, Any]) -> None:
    """An admin's change to which team holds a passport, or to its legal hold: plain settings,
    never content, and logged in the young person's own log (it changes who can see it)."""
    allowed = {"health_team", "legal_hold"}
    if set(changes) - allowed:
        raise ValidationError(_("Only the health team and the legal hold can be changed here."))
    if changes:
        Passport.objects.filter(pk=passport.pk).update(**changes)
        for name in sorted(changes):
            audit.record_event(actor=actor, action=f"{name}_changed", passport=passport)


@transaction.atomic
def do_end_assignment(actor: User, assignment: CareTeamAssignment) -> None:
    """Ends it (kept for the record), logged in the young person's own log."""
    if assignment.ended_at is None:
        CareTeamAssignment.objects.filter(pk=assignment.pk).update(ended_at=timezone.now())
        audit.record_event(actor=actor, action="assignment_ended",
                           passport=assignment.passport_id, object_id=assignment.pk)


# --- entries of every section --------------------------------------------------------------


def _writer(reach: Reach, section: str) -> Basis:
    basis = reach.basis_for(section, Action.WRITE)
    if basis is None:
        raise PermissionDenied
    return basis


def _clean_plain(field: models.Field, value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(field, models.ForeignKey):
        if isinstance(value, field.related_model):
            return value
        found = field.related_model.objects.filter(pk=value).first() if _is_uuid(value) else None
        if found is None:
            raise ValidationError({field.name: _("Choose one of the options.")})
        return found
    try:
        return field.to_python(value)
    except ValidationError as error:
        raise ValidationError({field.name: error.messages}) from None


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _clean(model: type[Entry], data: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """Only the entry type's own fields, each converted and checked: (cleaned, errors)."""
    fields = {f.name: f for f in model.content_fields()}
    unknown = set(data) - set(fields) - {"is_private"}
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %(fields)s"),
                              params={"fields": ", ".join(sorted(unknown))})
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name == "is_private":
            if value not in (None, True, False):
                errors[name] = [_("Choose yes or no.")]
            cleaned[name] = value
            continue
        if isinstance(value, str):
            value = normalise_text(value)
        try:
            field = fields[name]
            cleaned[name] = (clean_value(field, value) if isinstance(field, EncryptedField)
                             else _clean_plain(field, value))
        except ValidationError as error:
            errors.update(error.message_dict)
    return cleaned, errors


def _confirmed(model: type[Entry], data: dict[str, Any]) -> set[str]:
    """The confirmations given with this save, taken out of what is stored."""
    return {name for name in model.CONFIRMS if data.pop(name, None) is True}


def _check(model: type[Entry], reach: Reach, whole: dict[str, Any], errors: dict, *,
           changed: set[str], confirmed: set[str]) -> None:
    """Every problem at once: the fields' own, then the entry's rules on what did clean.
    A measurement far from the average, when this save sets one, needs its confirmation."""
    measuring = model is Assessment and "measurements_checked" not in confirmed and bool(
        changed & {"held_on", *growth.MEASURED})
    born = reach.passport.born
    child = growth.child_of(reach.passport, reach.sex()) if measuring else None
    usable = {k: v for k, v in whole.items() if k not in errors}
    found = model.entry_errors(usable, born, timezone.localdate())
    if child is not None:
        for name, messages in growth.far_out_errors(child, usable, usable.get("held_on")).items():
            found.setdefault(name, []).extend(messages)
    for name, messages in found.items():
        if name not in errors:
            errors[name] = messages
    if errors:
        raise ValidationError(errors)


def checked(reach: Reach, model: type[Entry], data: dict[str, Any], *,
            entry: Entry | None = None) -> dict[str, Any]:
    """`data` for `model` (a new entry, or changes to `entry`), converted and checked as every
    write is, raising ValidationError with every problem: for a write with a path of its own
    (a carer helping a child say what she thinks before a review: passport/care/
    before_review.py), which must still keep every rule of the type."""
    data = dict(data)
    confirmed = _confirmed(model, data)
    fields, errors = _clean(model, data)
    whole = ({f.name: getattr(entry, f.name) for f in model.content_fields()}
             if entry is not None else {}) | fields
    _check(model, reach, whole, errors, changed=set(fields), confirmed=confirmed)
    return fields


def private_as_usual(entry: Entry) -> bool:
    """Whether the usual rule (its section or topic) makes this entry, as it is, private."""
    return _starts_private(type(entry), entry.section_key, entry.content())


def _starts_private(model: type[Entry], section: str, fields: dict[str, Any]) -> bool:
    if model is UnknownItem:  # what is missing is as private as the section it is missing from
        return model.starts_private(fields) or any(
            t.DEFAULT_PRIVATE for t in sections.types_of(section))
    return model.starts_private(fields)


def do_add(reach: Reach, section: str, type_key: str, data: dict[str, Any], *,
           hold_opinion: str | None = None) -> Entry:
    """Add an entry of the type `type_key` names to `section`: the one use case the page and
    the API both call. A "not known yet" item belongs to the section it is added in. Her health
    team may hold a new birth or family history entry back in the same step (`hold_opinion`:
    the serious-harm test's opinion), so she never glimpses it in between: added and held
    together, or neither."""
    model = sections.type_named(section, type_key)
    if model is UnknownItem:
        data = dict(data, section=section)
    with transaction.atomic():
        entry = do_add_entry(reach, model, data)
        if hold_opinion is not None:
            held_back.do_hold_back(reach, entry, opinion=hold_opinion)
    return entry


@transaction.atomic
def do_add_entry(reach: Reach, model: type[Entry], data: dict[str, Any], *,
                 plan_of: Any = None) -> Entry:
    """Add an entry of type `model` to the passport (any section), as the policy allows.
    `plan_of`: the assessment whose plan a new plan action belongs to
    (passport.care.assessments)."""
    data = dict(data)
    section = sections.check_section(data.pop("section", None) if model is UnknownItem
                                     else model.SECTION)
    basis = _writer(reach, section)
    if basis is Basis.OWNER and not model.OWNER_MAY_ADD:
        raise PermissionDenied
    if basis is not Basis.OWNER and model.OWNER_ONLY:
        raise PermissionDenied
    confirmed = _confirmed(model, data)
    fields, errors = _clean(model, data)
    _check(model, reach, fields, errors, changed=set(fields), confirmed=confirmed)
    if model.SINGLE and model.objects.filter(passport=reach.passport).exists():
        raise ValidationError(_("There is one already: change it instead."))
    if model is CareEpisode:
        _check_care_episode(reach.passport, fields, None)
    if fields.get("is_private") is None:
        fields["is_private"] = _starts_private(model, section, fields)
    if model.ALWAYS_PRIVATE and not fields["is_private"]:
        raise ValidationError({"is_private": _("This is only ever for you and your health "
                                               "team.")})
    fields["added_by_young_person"] = basis is Basis.OWNER
    if model is UnknownItem:
        fields["section"] = section
    if plan_of is not None:
        fields["assessment"] = plan_of
    entry = revisions.create_entry(model, reach.passport, reach.user, fields)
    if model is CareEpisode:
        sync_end_of_care(reach.passport, reach.user)
    audit.record_event(actor=reach.user, action="entry_added", passport=reach.passport,
                       basis=basis, section=section, object_id=entry.pk)
    return entry


@transaction.atomic
def do_amend_entry(
    reach: Reach, entry: Entry, *, expected_version: int, reason: str, changes: dict[str, Any],
) -> Entry:
    """Change an entry, keeping the earlier version: only if it is still `expected_version`."""
    section = entry.section_key
    basis = _writer(reach, section)
    if entry.passport_id != reach.passport.pk or not may_amend(reach, entry):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are changing it.")})
    model = type(entry)
    entry.check_amendable()
    changes = dict(changes)
    confirmed = _confirmed(model, changes)
    changes = _differences(entry, changes)
    if _nothing_to_save(entry, changes):
        # Saved untouched: nothing is checked again (what is there stays, even what a newer
        # rule would refuse), kept or logged, and the version (the API's ETag) stays.
        return _unchanged(entry, expected_version)
    changes, errors = _clean(model, changes)
    whole = {f.name: getattr(entry, f.name) for f in model.content_fields()} | changes
    _check(model, reach, whole, errors, changed=set(changes), confirmed=confirmed)
    if model is CareEpisode:
        _check_care_episode(reach.passport, whole, entry.pk)
    _settle_privacy(model, section, entry, basis, changes, whole)
    if _nothing_to_save(entry, changes):
        return _unchanged(entry, expected_version)
    entry = revisions.amend_entry(entry, reach.user, expected_version, reason.strip(), changes)
    if model is CareEpisode:
        sync_end_of_care(reach.passport, reach.user)
    audit.record_event(actor=reach.user, action="entry_amended", passport=reach.passport,
                       basis=basis, section=section, object_id=entry.pk)
    return entry


def _nothing_to_save(entry: Entry, changes: dict[str, Any]) -> bool:
    """No content changes, and privacy as it is (None, "as usual", never makes an entry whose
    content is unchanged private or shared)."""
    return set(changes) <= {"is_private"} and changes.get("is_private") in (None,
                                                                           entry.is_private)


def _unchanged(entry: Entry, expected_version: int) -> Entry:
    """A stale copy is refused even when it changes nothing, as any save from it would be."""
    if not type(entry).objects.filter(pk=entry.pk, version=expected_version).exists():
        raise StaleVersion(expected_version)
    return entry


def _differences(entry: Entry, changes: dict[str, Any]) -> dict[str, Any]:
    """Only what a save would really change. A form sends every field back; a value equal to
    the stored one is not a change, even where it would no longer be accepted as new (a choice
    since withdrawn), so saving untouched never rewrites, and never refuses, what is there."""
    fields = {f.name: f for f in type(entry).content_fields()}
    return {name: value for name, value in changes.items()
            if name not in fields or not _same(fields[name], getattr(entry, name), value)}


def _same(field: models.Field, current: Any, new: Any) -> bool:
    if isinstance(new, str):
        new = normalise_text(new)
    if isinstance(current, str):  # as kept before line breaks were kept one way
        current = normalise_text(current)
    if new in (None, "") and current in (None, ""):
        return True
    if isinstance(field, models.ForeignKey) and isinstance(new, models.Model):
        new = new.pk
    if isinstance(current, models.Model):
        current = current.pk
    if new == current:
        return True
    try:
        cleaned = (clean_value(field, new) if isinstance(field, EncryptedField)
                   else _clean_plain(field, new))
    except ValidationError:
        return False
    return (cleaned.pk if isinstance(cleaned, models.Model) else cleaned) == current


def _settle_privacy(model, section, entry, basis, changes, whole) -> None:
    """A change that makes an entry private-by-topic makes it private (one that was already
    private-by-topic and was shared on purpose stays shared); only the young person decides
    the privacy of what she added herself."""
    wanted = changes.get("is_private")
    if model.ALWAYS_PRIVATE and wanted is False:
        raise ValidationError({"is_private": _("This is only ever for you and your health "
                                               "team.")})
    if wanted is None:
        changes.pop("is_private", None)
        was = {f.name: getattr(entry, f.name) for f in model.content_fields()}
        if (not entry.is_private and _starts_private(model, section, whole)
                and not _starts_private(model, section, was)):
            changes["is_private"] = True
    elif wanted != entry.is_private and entry.added_by_young_person and basis is not Basis.OWNER:
        raise PermissionDenied


def _check_care_episode(passport: Passport, fields: dict[str, Any], own_pk) -> None:
    """One period in care at a time: no overlap, and at most one still open."""
    start, end = fields["started_on"], fields.get("ended_on") or datetime.date.max
    for other in CareEpisode.objects.filter(passport=passport).exclude(pk=own_pk):
        other_end = other.ended_on or datetime.date.max
        if start <= other_end and other.started_on <= end:
            raise ValidationError({"started_on": _(
                "This overlaps another time in care: end that one first.")})


def sync_end_of_care(passport: Passport, actor: User | None = None) -> None:
    """Care ends when the last episode ends: the date the health team's access and the
    retention period follow. A changed end or outcome forgets any confirmation of an
    adoption: a new "adopted" is confirmed afresh by a second person (whoever set it is its
    recorder), so no earlier confirmation lets one person seal a passport."""
    episodes = list(CareEpisode.objects.filter(passport=passport).order_by("started_on"))
    ended = (None if not episodes or any(e.ended_on is None for e in episodes)
             else max(e.ended_on for e in episodes))
    outcome = (episodes[-1].outcome or "") if ended else ""
    before = Passport.objects.filter(pk=passport.pk).values(
        "care_ended_on", "care_outcome").first() or {}
    changed = (before.get("care_ended_on"), before.get("care_outcome")) != (ended, outcome)
    fields = {"care_ended_on": ended, "care_outcome": outcome}
    if changed:
        fields |= {"adoption_confirmed_by": None, "adoption_confirmed_at": None,
                   "adoption_recorded_by": actor if outcome == EpisodeOutcome.ADOPTED else None}
    Passport.objects.filter(pk=passport.pk).update(**fields)
    passport.care_ended_on, passport.care_outcome = ended, outcome
