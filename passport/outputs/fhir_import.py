"""FHIR import of immunisations: Immunization resources from a GP record export or a
connected system are kept, unread by anyone else, until her nurse looks at a preview, sees which
doses are already recorded (duplicates), and confirms the ones to save. Each saved dose names
where it came from.

A connected system addresses a child by NHS number and is always answered the same way
("received"), whether or not the number belongs to a child here: the answer never tells it who
is in care.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.access.policy import Basis, Reach
from passport.clinical import nhs
from passport.encryption import keys
from passport.models import (
    ImmunisationDose,
    ImmunisationImport,
    Passport,
    User,
)
from passport.models.sections import Vaccine
from passport.records import actions, audit

MAX_RESOURCES = 200
# Words in a vaccine's name or code display, to our vaccine list, tried in this order: a
# combined vaccine before its parts ("MMRV" before "MMR", the 6-in-1 before Hib or hepatitis
# B). "Haemophilus influenzae type b" (Hib) is a bacterium, not influenza: it never makes a
# dose "Flu". Names as the UKHSA schedule writes them (complete routine immunisation schedule
# from 1 January 2026: "DTaP/IPV/Hib/HepB", "Diphtheria, tetanus, pertussis (whooping cough),
# polio, Haemophilus influenzae type b (Hib) and hepatitis B") and trade names. A name that
# fits none is "Other", with its name kept for the nurse to read.
HIB = r"(?:haemophilus influenzae(?: type b)?|\bhib\b)"
WORDS = (
    (r"mmrv|priorix-?tetra|proquad", Vaccine.MMRV),
    (r"\bmmr|priorix|m-m-rvaxpro", Vaccine.MMR),
    (r"6-in-1|6in1|hexa|vaxelis|dtap/ipv/hib/hep ?b"
     rf"|{HIB}.*hepatitis b|hepatitis b.*{HIB}", Vaccine.SIX_IN_ONE),
    (rf"5-in-1|5in1|pediacel|dtap/ipv/hib|polio.*{HIB}|{HIB}.*polio", Vaccine.FIVE_IN_ONE),
    (rf"hib/menc|menitorix|{HIB}.*(?:meningococcal group c|menc)", Vaccine.HIB_MENC),
    (r"menacwy|nimenrix|menveo|menquadfi|meningococcal groups? a", Vaccine.MENACWY),
    (r"menb|bexsero|meningococcal group b", Vaccine.MENB),
    (r"\bmenc\b|neisvac|meningococcal group c", Vaccine.MENC),
    (r"rotavirus|rotarix", Vaccine.ROTAVIRUS),
    (r"pneumococcal|pcv|prevenar|vaxneuvance", Vaccine.PCV),
    (r"td/ipv|revaxis", Vaccine.TD_IPV),
    (r"dtap/ipv|repevax|infanrix-?ipv|boostrix-?ipv", Vaccine.PRESCHOOL),
    (r"hpv|gardasil|cervarix|papilloma", Vaccine.HPV),
    (r"(?<!haemophilus )influenza(?!e)|\bflu\b|\bfluenz", Vaccine.FLU),
    (r"\bbcg|tuberculosis", Vaccine.BCG),
    (r"hepatitis b|hep b|engerix|hbvaxpro", Vaccine.HEPB),
    (r"covid|sars-cov-2|comirnaty|spikevax", Vaccine.COVID),
)


@dataclass(frozen=True)
class Row:
    index: int
    vaccine: str
    name: str
    given_on: datetime.date | None
    dose_number: int | None
    batch: str
    site: str
    duplicate: bool
    # The date as sent when it is not a whole day (FHIR allows "2019-05" or "2019"): kept and
    # shown, never silently dropped; such a dose is saved without a date, so it does not count.
    date_sent: str = ""

    @property
    def vaccine_label(self) -> str:
        """The vaccine it is saved as (the preview shows it beside the name sent)."""
        return str(Vaccine(self.vaccine).label)


def _immunizations(payload: Any) -> list[dict]:
    """The Immunization resources of a Bundle (or one Immunization), or a ValidationError."""
    if not isinstance(payload, dict):
        raise ValidationError(_("Send a FHIR Bundle or an Immunization resource."))
    if payload.get("resourceType") == "Immunization":
        found = [payload]
    elif payload.get("resourceType") == "Bundle":
        found = [e.get("resource") for e in payload.get("entry") or []
                 if isinstance(e, dict) and isinstance(e.get("resource"), dict)
                 and e["resource"].get("resourceType") == "Immunization"]
    else:
        raise ValidationError(_("Send a FHIR Bundle or an Immunization resource."))
    if not found:
        raise ValidationError(_("There is no Immunization in what was sent."))
    if len(found) > MAX_RESOURCES:
        raise ValidationError(_("Too many resources at once: send at most %(n)d.") % {
            "n": MAX_RESOURCES})
    from fhir.resources.R4B.immunization import Immunization

    for resource in found:  # each must be a real Immunization, or nothing is kept
        try:
            Immunization.model_validate(resource)
        except Exception as error:  # pydantic's ValidationError: its text may quote content
            raise ValidationError(_("An Immunization resource is not valid FHIR.")) from error
    return found


def _nhs_number(payload: dict) -> str:
    for entry in payload.get("entry") or []:
        resource = entry.get("resource") or {} if isinstance(entry, dict) else {}
        if resource.get("resourceType") == "Patient":
            for identifier in resource.get("identifier") or []:
                if identifier.get("system") == "https://fhir.nhs.uk/Id/nhs-number":
                    return str(identifier.get("value") or "")
    return ""


def _name(resource: dict) -> str:
    code = resource.get("vaccineCode") or {}
    texts = [code.get("text") or ""] + [c.get("display") or "" for c in code.get("coding") or []]
    return next((t for t in texts if t), "")


def _vaccine(name: str) -> str:
    lowered = name.lower()
    return next((key for pattern, key in WORDS if re.search(pattern, lowered)), Vaccine.OTHER)


def _date(resource: dict) -> tuple[datetime.date | None, str]:
    """(the day, or None; and what was sent when it is not a whole day)."""
    value = str(resource.get("occurrenceDateTime") or resource.get("occurrenceString") or "")
    try:
        return (datetime.date.fromisoformat(value[:10]) if len(value) >= 10 else None,
                "" if len(value) >= 10 or not value else value)
    except ValueError:
        return None, value[:40]


def rows(imported: ImmunisationImport) -> list[Row]:
    existing = {(d.vaccine, d.given_on) for d in
                ImmunisationDose.objects.filter(passport_id=imported.passport_id)}
    seen: set = set()
    found = []
    for index, resource in enumerate(_immunizations(imported.bundle)):
        name = _name(resource)
        vaccine, (given_on, date_sent) = _vaccine(name), _date(resource)
        applied = (resource.get("protocolApplied") or [{}])[0]
        dose = applied.get("doseNumberPositiveInt")
        key = (vaccine, given_on)
        found.append(Row(index, vaccine, name or str(Vaccine(vaccine).label), given_on,
                         dose if isinstance(dose, int) else None,
                         str(resource.get("lotNumber") or ""),
                         str((resource.get("site") or {}).get("text") or ""),
                         given_on is not None and (key in existing or key in seen),
                         date_sent))
        seen.add(key)
    return found


@transaction.atomic
def do_submit(reach: Reach, payload: Any, source: str) -> ImmunisationImport:
    """Her nurse sends in a GP record export for this passport."""
    reach.require_health_team("immunisations")
    _immunizations(payload)
    return _keep(reach.passport, reach.user, payload, source)


def _keep(passport: Passport, user: User, payload: dict, source: str) -> ImmunisationImport:
    imported = ImmunisationImport(passport=passport, source=source[:200], bundle=payload,
                                  submitted_by=user, submitted_at=timezone.now())
    imported.save(force_insert=True)
    audit.record_event(actor=user, action="immunisations_received", passport=passport,
                       section="immunisations", object_id=imported.pk)
    return imported


@transaction.atomic
def do_submit_from_system(user: User, payload: Any) -> None:
    """A connected system sends immunisations for the child named by NHS number. Checked for
    shape; kept only if the number is a child's here; the caller learns nothing either way."""
    if not capabilities.is_connected_system(user):
        raise PermissionDenied
    _immunizations(payload)
    number = _nhs_number(payload) if isinstance(payload, dict) else ""
    if not number:
        raise ValidationError(_("Name the child with a Patient resource and their NHS number."))
    try:
        digits = nhs.normalise(number)
    except ValidationError:
        raise ValidationError(_("That NHS number is not valid.")) from None
    index = keys.keyring().blind_index("nhs", digits)
    passport = Passport.objects.filter(nhs_number_index=index).first()
    if passport is not None:
        _keep(passport, user, payload, user.display_name or user.username)


def pending(reach: Reach) -> list[ImmunisationImport]:
    if not reach.as_health_team("immunisations"):
        return []
    return list(ImmunisationImport.objects.filter(passport=reach.passport,
                                                  decided_at__isnull=True)
                .order_by("submitted_at"))


@transaction.atomic
def do_confirm(reach: Reach, import_id, chosen: list[int]) -> int:
    """Save the chosen doses (never a duplicate), each naming where it came from; the import
    is then closed, whatever was chosen."""
    reach.require_health_team("immunisations")
    imported = (ImmunisationImport.objects.select_for_update()
                .filter(pk=import_id, passport=reach.passport, decided_at__isnull=True).first())
    if imported is None:
        raise PermissionDenied
    saved = 0
    when = timezone.localdate().strftime("%d/%m/%Y")
    for row in rows(imported):
        if row.index not in chosen or row.duplicate:
            continue
        try:
            actions.do_add_entry(reach, ImmunisationDose, {
                "vaccine": row.vaccine,
                "vaccine_other": row.name if row.vaccine == "other" else "",
                "given_on": row.given_on, "dose_number": row.dose_number, "batch": row.batch,
                "site": row.site, "source": "gp_record",
                "notes": _("Imported from %(source)s on %(date)s.") % {
                    "source": imported.source, "date": when} + (" " + _(
                        "The record gave the date only as %(sent)s: add the day when it is "
                        "known, so the dose can count.") % {"sent": row.date_sent}
                    if row.date_sent else "")})
        except ValidationError as error:
            # Nothing is saved: the dose is named, as the preview shows it, to be unticked.
            shown = date_format(row.given_on, "j F Y") if row.given_on else "-"
            raise ValidationError([f"{row.name}, {shown}: {message}"
                                   for message in error.messages]) from None
        saved += 1
    imported.decided_at, imported.decided_by, imported.saved = timezone.now(), reach.user, saved
    imported.save(update_fields=["decided_at", "decided_by", "saved"])
    audit.record_event(actor=reach.user, action="immunisations_imported",
                       passport=reach.passport, basis=Basis.HEALTH_TEAM,
                       section="immunisations", object_id=imported.pk)
    return saved
